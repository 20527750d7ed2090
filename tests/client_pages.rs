//! The generated client's page streams, on the pagination styles of real
//! specs (tests/fixtures/pagination.yaml): Spotify's `next` URL in the
//! body, Zoom's `next_page_token` echoed in a query parameter, and a `Link`
//! header as GitHub sends, each against a server on 127.0.0.1 that serves
//! three pages; and a raw next link with `Call::at_url`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use futures_util::StreamExt;
use pagination_client::types::operations::{
    get_a_list_of_current_users_playlists as playlists, list_invoices, list_repos, users,
};
use pagination_client::{Client, Error};
use serde_json::json;

/// Serves three pages of each style; `base` is the server's own URL, which
/// Spotify-style next links are absolute in.
async fn server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/me/playlists", axum::routing::get(spotify))
        .route("/users", axum::routing::get(zoom))
        .route("/repos", axum::routing::get(github))
        .with_state(base.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// The page asked for by `offset` (Spotify: 2 items a page, 5 in all).
async fn spotify(
    State(base): State<String>,
    Query(query): Query<HashMap<String, String>>,
) -> impl IntoResponse {
    let offset: usize = query.get("offset").map_or(0, |o| o.parse().unwrap());
    let items: Vec<_> = (offset..5.min(offset + 2))
        .map(|i| json!({"id": format!("p{i}"), "name": format!("Playlist {i}")}))
        .collect();
    let next =
        (offset + 2 < 5).then(|| format!("{base}/me/playlists?offset={}&limit=2", offset + 2));
    axum::Json(json!({
        "href": format!("{base}/me/playlists?offset={offset}&limit=2"),
        "items": items,
        "limit": 2,
        "next": next,
        "offset": offset,
        "previous": null,
        "total": 5,
    }))
}

/// Zoom: the token names the page; the last page has none. The client's
/// other query parameters must stay (`page_size`).
async fn zoom(Query(query): Query<HashMap<String, String>>) -> impl IntoResponse {
    assert_eq!(query.get("page_size").map(String::as_str), Some("1"));
    let page: usize = query
        .get("next_page_token")
        .map_or(0, |t| t.trim_start_matches("t").parse().unwrap());
    let mut body = json!({
        "page_size": 1,
        "total_records": 3,
        "users": [{"id": format!("u{page}"), "email": format!("u{page}@example.com")}],
    });
    if page < 2 {
        body["next_page_token"] = json!(format!("t{}", page + 1));
    }
    axum::Json(body)
}

/// GitHub: relative `Link` targets, `rel="next"` among others.
async fn github(Query(query): Query<HashMap<String, String>>) -> impl IntoResponse {
    let page: usize = query.get("page").map_or(1, |p| p.parse().unwrap());
    let mut headers = HeaderMap::new();
    let mut links = vec![r#"</repos?page=1>; rel="first""#.to_owned()];
    if page < 3 {
        links.push(format!(r#"</repos?page={}>; rel="next""#, page + 1));
    }
    headers.insert("link", links.join(", ").parse().unwrap());
    (
        headers,
        axum::Json(json!([format!("repo{page}a"), format!("repo{page}b")])),
    )
}

#[tokio::test]
async fn spotify_s_next_urls_are_followed_to_the_last_page() {
    let client = Client::new(&server().await).unwrap();
    let parameters = playlists::Parameters::default().with_limit(2);
    let mut pages = client
        .get_a_list_of_current_users_playlists(&parameters)
        .pages();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        match page.unwrap() {
            playlists::Response::Ok(page) => {
                names.extend(page.items.into_iter().filter_map(|p| p.id));
            }
            // The spec may declare more statuses one day.
            #[allow(unreachable_patterns)]
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(names, ["p0", "p1", "p2", "p3", "p4"]);
}

#[tokio::test]
async fn zoom_s_echoed_tokens_are_followed_and_other_parameters_kept() {
    let client = Client::new(&server().await).unwrap();
    let parameters = users::Parameters::default().with_page_size(1);
    let pages: Vec<_> = client.users(&parameters).pages().collect().await;
    let emails: Vec<String> = pages
        .into_iter()
        .flat_map(|page| match page.unwrap() {
            users::Response::Ok(page) => page.users.unwrap_or_default(),
            #[allow(unreachable_patterns)]
            other => panic!("{other:?}"),
        })
        .map(|user| user.email)
        .collect();
    assert_eq!(
        emails,
        ["u0@example.com", "u1@example.com", "u2@example.com"]
    );
}

#[tokio::test]
async fn link_headers_are_followed_relative_to_the_request() {
    let client = Client::new(&server().await).unwrap();
    let parameters = list_repos::Parameters::default().with_per_page(2);
    let pages: Vec<_> = client.list_repos(&parameters).pages().collect().await;
    let repos: Vec<String> = pages
        .into_iter()
        .flat_map(|page| match page.unwrap() {
            list_repos::Response::Ok { body, .. } => body,
            #[allow(unreachable_patterns)]
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        repos,
        ["repo1a", "repo1b", "repo2a", "repo2b", "repo3a", "repo3b"]
    );
}

#[tokio::test]
async fn a_raw_next_link_is_a_call_and_other_origins_are_refused() {
    let base = server().await;
    let client = Client::new(&base).unwrap();
    let parameters = playlists::Parameters::default();
    let page = match client
        .get_a_list_of_current_users_playlists(&parameters)
        .at_url(&format!("{base}/me/playlists?offset=4&limit=2"))
        .await
        .unwrap()
    {
        playlists::Response::Ok(page) => page,
        #[allow(unreachable_patterns)]
        other => panic!("{other:?}"),
    };
    assert_eq!(page.offset, 4);
    assert_eq!(page.next, None);

    let error = client
        .get_a_list_of_current_users_playlists(&parameters)
        .at_url("https://elsewhere.example/me/playlists?offset=2")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("another origin"), "{error}");

    // An operation without a pattern: one page.
    let pages: Vec<_> = client
        .list_invoices(&list_invoices::Parameters::default())
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
}
