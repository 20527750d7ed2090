/// A value that breaks a constraint of the API description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where the value is: a JSON pointer into the value checked
    /// (`/items/0/name`); empty for the value itself. In a
    /// `Parameters` struct the first token is the parameter's name on the
    /// wire (`/limit`).
    pub path: String,
    /// The keyword broken, as the description spells it (`maxLength`).
    pub rule: &'static str,
    /// What the value must be, e.g. `must be at most 5 characters long`.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} (`{}`)", self.message, self.rule)
        } else {
            write!(f, "`{}` {} (`{}`)", self.path, self.message, self.rule)
        }
    }
}

/// Every violation found in a value, in the order the checks met them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(
    /// The violations, in the order the checks met them.
    pub Vec<Violation>,
);

impl Violations {
    /// Notes that the value at `path` breaks `rule`.
    fn push(&mut self, path: &Path<'_>, rule: &'static str, message: String) {
        self.0.push(Violation {
            path: path.pointer(),
            rule,
            message,
        });
    }
}

impl std::fmt::Display for Violations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// Where a value sits inside the value being checked, built up as the
/// checks descend and written out only for a violation.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    token: Token<'a>,
}

/// One step of a [`Path`].
#[derive(Debug, Clone, Copy)]
enum Token<'a> {
    /// The value checked.
    Root,
    /// A property, map key or parameter.
    Key(&'a str),
    /// An array item.
    Index(usize),
}

impl<'a> Path<'a> {
    /// The value checked itself.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        token: Token::Root,
    };

    /// The property (or map key, or parameter) `key` of the value here.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            token: Token::Key(key),
        }
    }

    /// The item at `index` of the array here.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            token: Token::Index(index),
        }
    }

    /// The JSON pointer of the value here (RFC 6901: `~` and `/` escaped).
    fn pointer(&self) -> String {
        let mut tokens = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            match path.token {
                Token::Root => {}
                Token::Key(key) => tokens.push(key.replace('~', "~0").replace('/', "~1")),
                Token::Index(index) => tokens.push(index.to_string()),
            }
            at = path.parent;
        }
        tokens.iter().rev().fold(String::new(), |mut pointer, token| {
            pointer.push('/');
            pointer.push_str(token);
            pointer
        })
    }
}

/// A value the API description constrains beyond its type: its check.
pub trait Validate {
    /// Checks the value (and the values inside it) against the
    /// constraints of its schema: every violation, or `Ok`.
    fn validate(&self) -> Result<(), Violations> {
        let mut found = Violations::default();
        self.check(&Path::ROOT, &mut found);
        if found.0.is_empty() {
            Ok(())
        } else {
            Err(found)
        }
    }

    /// Adds the violations of this value, sitting at `path`, to `found`.
    fn check(&self, path: &Path<'_>, found: &mut Violations);
}

/// Checks a whole value with `check`: every violation, or `Ok`. For
/// values without a type of their own (a body that is an array, a
/// constrained string).
fn check_value(check: impl FnOnce(&Path<'_>, &mut Violations)) -> Result<(), Violations> {
    let mut found = Violations::default();
    check(&Path::ROOT, &mut found);
    if found.0.is_empty() {
        Ok(())
    } else {
        Err(found)
    }
}

/// `minLength` and `maxLength`: a length in characters, as JSON Schema
/// counts them.
fn check_length(
    found: &mut Violations,
    path: &Path<'_>,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) {
    let length = value.chars().count() as u64;
    if let Some(min) = min.filter(|min| length < *min) {
        found.push(path, "minLength", format!("must be at least {min} characters long"));
    }
    if let Some(max) = max.filter(|max| length > *max) {
        found.push(path, "maxLength", format!("must be at most {max} characters long"));
    }
}

/// `pattern`: the value matches `pattern` somewhere. The pattern is
/// compiled the first time it is needed, with a size limit, as the
/// generator compiled it when it read the description.
fn check_pattern(
    found: &mut Violations,
    path: &Path<'_>,
    value: &str,
    pattern: &'static str,
    compiled: &'static std::sync::OnceLock<Option<regex::Regex>>,
) {
    let regex = compiled.get_or_init(|| {
        regex::RegexBuilder::new(pattern)
            .size_limit(1 << 20)
            .build()
            .ok()
    });
    if regex.as_ref().is_some_and(|regex| !regex.is_match(value)) {
        found.push(path, "pattern", format!("must match `{pattern}`"));
    }
}

/// `minimum` (or `exclusiveMinimum` when `exclusive`); `bound` is the
/// description's text of the bound.
fn check_minimum<T: PartialOrd>(
    found: &mut Violations,
    path: &Path<'_>,
    value: T,
    min: T,
    exclusive: bool,
    bound: &str,
) {
    if exclusive && value <= min {
        found.push(path, "exclusiveMinimum", format!("must be greater than {bound}"));
    } else if !exclusive && value < min {
        found.push(path, "minimum", format!("must be at least {bound}"));
    }
}

/// `maximum` (or `exclusiveMaximum` when `exclusive`).
fn check_maximum<T: PartialOrd>(
    found: &mut Violations,
    path: &Path<'_>,
    value: T,
    max: T,
    exclusive: bool,
    bound: &str,
) {
    if exclusive && value >= max {
        found.push(path, "exclusiveMaximum", format!("must be less than {bound}"));
    } else if !exclusive && value > max {
        found.push(path, "maximum", format!("must be at most {bound}"));
    }
}

/// `multipleOf` for an integer and an integer factor: exact.
fn check_multiple_of_integer(found: &mut Violations, path: &Path<'_>, value: i64, factor: i64) {
    if factor > 0 && value % factor != 0 {
        found.push(path, "multipleOf", format!("must be a multiple of {factor}"));
    }
}

/// `multipleOf` for a number: the quotient is whole, up to the rounding
/// of binary fractions (`0.3` is a multiple of `0.1`).
fn check_multiple_of(found: &mut Violations, path: &Path<'_>, value: f64, factor: f64, text: &str) {
    let quotient = value / factor;
    let whole = quotient.is_finite()
        && (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0);
    if !whole {
        found.push(path, "multipleOf", format!("must be a multiple of {text}"));
    }
}

/// `minItems` and `maxItems`.
fn check_items(
    found: &mut Violations,
    path: &Path<'_>,
    count: usize,
    min: Option<u64>,
    max: Option<u64>,
) {
    let count = count as u64;
    if let Some(min) = min.filter(|min| count < *min) {
        found.push(path, "minItems", format!("must have at least {min} items"));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        found.push(path, "maxItems", format!("must have at most {max} items"));
    }
}

/// `minProperties` and `maxProperties`.
fn check_properties(
    found: &mut Violations,
    path: &Path<'_>,
    count: usize,
    min: Option<u64>,
    max: Option<u64>,
) {
    let count = count as u64;
    if let Some(min) = min.filter(|min| count < *min) {
        found.push(path, "minProperties", format!("must have at least {min} properties"));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        found.push(path, "maxProperties", format!("must have at most {max} properties"));
    }
}

/// `uniqueItems`: no two items are equal as JSON. Items are compared by
/// their JSON text in a set, so a long array costs linear time, not
/// quadratic.
fn check_unique<T: serde::Serialize>(found: &mut Violations, path: &Path<'_>, items: &[T]) {
    let mut seen = std::collections::HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let Ok(text) = serde_json::to_string(item) else {
            continue;
        };
        if !seen.insert(text) {
            let at = path.index(index);
            found.push(&at, "uniqueItems", "must not repeat an earlier item".to_owned());
            return;
        }
    }
}
