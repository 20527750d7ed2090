const SHOP: &str = r#"
openapi: 3.0.3
info: {title: Shop, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      security: [{apiKey: []}]
      responses:
        '200':
          description: pets
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string, maxLength: 10}}
    get:
      operationId: getPet
      tags: [pets]
      responses:
        '200':
          description: a pet
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /orders:
    post:
      operationId: createOrder
      tags: [store]
      security: [{bearer: []}]
      callbacks:
        done:
          '{$request.body#/url}':
            post:
              responses: {'200': {description: ok}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Order'}
      responses: {'201': {description: created}}
components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        pet_name: {type: string}
        status: {$ref: '#/components/schemas/Status'}
        owner:
          oneOf:
            - {$ref: '#/components/schemas/Person'}
            - {$ref: '#/components/schemas/Company'}
        labels: {type: object, additionalProperties: {$ref: '#/components/schemas/Label'}}
    Status: {type: string, enum: [available, in-progress]}
    Person: {type: object, properties: {name: {type: string}}}
    Company:
      type: object
      required: [vat]
      properties:
        vat: {type: string}
        staff: {type: array, items: {$ref: '#/components/schemas/Person'}}
    Label: {type: string}
    Order:
      type: object
      properties:
        quantity: {type: integer, minimum: 1}
        pet: {$ref: '#/components/schemas/Pet'}
    Unused:
      type: object
      properties:
        x: {type: string, maxLength: 3}
"#;
