//! The generated Invent client against a real HTTP server on 127.0.0.1:
//! what goes on the wire, and what comes back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use invent_client::types::{
    AssistantConfig, ConversationConfig, CreateAssistant, IntegrationId, Language, ThreadMode,
};
use invent_client::{Client, Error, ErrorBody, Nullable, TransportKind};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-test-123";

/// A server that answers every POST with `response`.
async fn serve(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(KEY)
        .build()
        .unwrap()
}

/// A 200 body holding every field the documentation shows.
fn full_assistant() -> Value {
    json!({
        "id": "asst_1",
        "name": "Helper",
        "enabled": true,
        "deleted": false,
        "secret_key": "s3cr3t-value",
        "avatar_url": "https://cdn.example.com/a.png",
        "config": {
            "language": "auto",
            "model": "gpt",
            "stt": {"model": "whisper"},
            "tts": {"model": "voice-1", "voice_id": "v1"},
            "conversation": {
                "thread_mode": "new",
                "enable_memories": true,
                "enable_transfer_to_human_tool": true,
                "welcome_banner": "Hi",
                "suggested_messages": ["a", "b"],
                "auto_intro_message": "Hello",
                "enable_end_conversation_tool": true,
                "enable_block_contact_tool": false,
                "enable_auto_resolve": true,
                "enable_auto_follow_ups": false,
                "enable_auto_csat": true,
                "enable_private_chats": false
            },
            "knowledge_scope": "all",
            "timezone": "Europe/Paris",
            "instructions": "Be brief."
        },
        "integrations": [{
            "id": "int_1",
            "enabled": true,
            "integration_id": "internal",
            "assistant_id": "asst_1",
            "connection_id": "conn_1",
            "config": {"k": 1},
            "error": "none",
            "created_at": "2023-11-07T05:31:56Z",
            "updated_at": "2023-11-07T05:31:56Z"
        }],
        "actions": [{
            "id": "act_1",
            "enabled": true,
            "name": "Lookup",
            "instructions": "Look it up",
            "action_id": "lookup",
            "assistant_id": "asst_1",
            "connection_id": "conn_1",
            "config": {
                "input": {"q": "x"},
                "definitions": [{"path": "/a", "definition": {"type": "object"}}]
            },
            "created_at": "2023-11-07T05:31:56Z",
            "updated_at": "2023-11-07T05:31:56Z"
        }],
        "created_at": "2023-11-07T05:31:56Z",
        "updated_at": null
    })
}

fn body_with_config() -> CreateAssistant {
    let config = AssistantConfig {
        language: Some(Language::Auto),
        conversation: Some(ConversationConfig {
            thread_mode: Some(ThreadMode::New),
            suggested_messages: Some(vec!["hi".to_owned()]),
            ..ConversationConfig::default()
        }),
        ..AssistantConfig::default()
    };
    CreateAssistant {
        enabled: Some(true),
        avatar_id: Nullable::Null,
        ..CreateAssistant::new("Helper", config)
    }
}

#[tokio::test]
async fn sends_method_encoded_path_auth_content_type_and_exact_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/orgs/a%2Fb%3Fc%23d/assistants"))
        .and(header("authorization", "Bearer sk-test-123"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(full_assistant()))
        .expect(1)
        .mount(&server)
        .await;

    client(&server)
        .create_assistant("a/b?c#d", &body_with_config())
        .await
        .unwrap();

    let requests: Vec<Request> = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    // The raw path, before any decoding: the org id stayed in its segment.
    assert_eq!(requests[0].url.path(), "/orgs/a%2Fb%3Fc%23d/assistants");
    assert_eq!(requests[0].url.query(), None);
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        json!({
            "name": "Helper",
            "config": {
                "language": "auto",
                "conversation": {"thread_mode": "new", "suggested_messages": ["hi"]}
            },
            "enabled": true,
            "avatar_id": null
        })
    );
}

#[tokio::test]
async fn optional_nullable_field_distinguishes_absent_null_and_value() {
    let server = serve(ResponseTemplate::new(200).set_body_json(full_assistant())).await;
    let client = client(&server);
    let mut body = CreateAssistant::new("x", AssistantConfig::default());
    for avatar in [
        Nullable::Absent,
        Nullable::Null,
        Nullable::Value("av_1".to_owned()),
    ] {
        body.avatar_id = avatar;
        client.create_assistant("org", &body).await.unwrap();
    }
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies[0], json!({"name": "x", "config": {}}));
    assert_eq!(
        bodies[1],
        json!({"name": "x", "config": {}, "avatar_id": null})
    );
    assert_eq!(
        bodies[2],
        json!({"name": "x", "config": {}, "avatar_id": "av_1"})
    );
}

#[tokio::test]
async fn decodes_every_documented_field() {
    let server = serve(ResponseTemplate::new(200).set_body_json(full_assistant())).await;
    let assistant = client(&server)
        .create_assistant("org", &body_with_config())
        .await
        .unwrap();

    assert_eq!(assistant.id, "asst_1");
    assert_eq!(assistant.name, "Helper");
    assert!(assistant.enabled);
    assert!(!assistant.deleted);
    assert_eq!(assistant.secret_key.as_deref(), Some("s3cr3t-value"));
    assert_eq!(
        assistant.avatar_url.as_deref(),
        Some("https://cdn.example.com/a.png")
    );
    assert_eq!(
        assistant.created_at.unwrap().to_rfc3339(),
        "2023-11-07T05:31:56+00:00"
    );
    assert_eq!(assistant.updated_at, None);
    let config = &assistant.config;
    assert_eq!(config.language, Some(Language::Auto));
    assert_eq!(config.model.as_deref(), Some("gpt"));
    assert_eq!(
        config.stt.as_ref().unwrap().model.as_deref(),
        Some("whisper")
    );
    assert_eq!(config.tts.as_ref().unwrap().voice_id.as_deref(), Some("v1"));
    let conversation = config.conversation.as_ref().unwrap();
    assert_eq!(conversation.thread_mode, Some(ThreadMode::New));
    assert_eq!(
        conversation.suggested_messages.as_deref(),
        Some(&["a".to_owned(), "b".to_owned()][..])
    );
    assert_eq!(conversation.enable_block_contact_tool, Some(false));
    assert_eq!(conversation.enable_private_chats, Some(false));
    assert_eq!(config.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(config.instructions.as_deref(), Some("Be brief."));
    let integration = &assistant.integrations[0];
    assert_eq!(integration.integration_id, Some(IntegrationId::Internal));
    assert_eq!(integration.config.as_ref().unwrap()["k"], json!(1));
    assert_eq!(integration.error.as_deref(), Some("none"));
    let action = &assistant.actions[0];
    assert_eq!(action.action_id.as_deref(), Some("lookup"));
    let action_config = action.config.as_ref().unwrap();
    assert_eq!(action_config.input.as_ref().unwrap()["q"], json!("x"));
    let definition = &action_config.definitions.as_ref().unwrap()[0];
    assert_eq!(definition.path.as_deref(), Some("/a"));
    assert_eq!(
        definition.definition.as_ref().unwrap()["type"],
        json!("object")
    );

    // Decoding then encoding gives back the server's document.
    assert_eq!(serde_json::to_value(&assistant).unwrap(), full_assistant());
}

#[tokio::test]
async fn secret_key_is_redacted_in_debug() {
    let server = serve(ResponseTemplate::new(200).set_body_json(full_assistant())).await;
    let client = client(&server);
    let assistant = client
        .create_assistant("org", &body_with_config())
        .await
        .unwrap();
    let debug = format!("{assistant:?}");
    assert!(!debug.contains("s3cr3t-value"), "{debug}");
    assert!(debug.contains("secret_key: <redacted>"), "{debug}");
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(KEY), "{client_debug}");
}

#[tokio::test]
async fn unknown_enum_value_still_decodes() {
    let server = MockServer::start().await;
    let mut body = full_assistant();
    body["config"]["language"] = json!("klingon");
    body["integrations"][0]["integration_id"] = json!("slack");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let assistant = client(&server)
        .create_assistant("org", &body_with_config())
        .await
        .unwrap();
    assert_eq!(
        assistant.config.language,
        Some(Language::Unknown("klingon".to_owned()))
    );
    assert_eq!(
        assistant.integrations[0]
            .integration_id
            .as_ref()
            .unwrap()
            .as_str(),
        "slack"
    );
    assert_eq!(
        serde_json::to_value(&assistant).unwrap()["config"]["language"],
        json!("klingon")
    );
}

#[tokio::test]
async fn api_error_with_json_body() {
    let server = MockServer::start().await;
    let problem = json!({"message": "name taken", "code": "conflict"});
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(problem.clone())
                .insert_header("x-request-id", "req-9"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .create_assistant("org", &body_with_config())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
    let Error::Api(api) = error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(api.headers["x-request-id"], "req-9");
    assert_eq!(api.body, ErrorBody::Typed(problem));
}

#[tokio::test]
async fn api_error_with_text_body() {
    let server = serve(ResponseTemplate::new(500).set_body_string("upstream exploded")).await;
    let error = client(&server)
        .create_assistant("org", &body_with_config())
        .await
        .unwrap_err();
    let message = error.to_string();
    let Error::Api(api) = error else {
        panic!("expected an API error")
    };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.body, ErrorBody::Text("upstream exploded".to_owned()));
    assert!(
        message.contains("500") && message.contains("upstream exploded"),
        "{message}"
    );
}

#[tokio::test]
async fn malformed_success_body_is_a_decode_error_with_the_body() {
    let server = serve(ResponseTemplate::new(200).set_body_string("{\"id\": 1,")).await;
    let error = client(&server)
        .create_assistant("org", &body_with_config())
        .await
        .unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.body, "{\"id\": 1,");
}

/// The decode error the client reports for a 200 response with `body`.
async fn decode_error_for(body: serde_json::Value) -> String {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let error = client(&server)
        .create_assistant("org", &body_with_config())
        .await
        .unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("expected a decode error")
    };
    decode.source.to_string()
}

#[tokio::test]
async fn missing_required_field_is_a_decode_error() {
    let mut body = full_assistant();
    body.as_object_mut().unwrap().remove("deleted");
    let error = decode_error_for(body).await;
    assert!(
        error.contains("Assistant.deleted: missing field"),
        "{error}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_a_decode_error_naming_the_type() {
    let error = decode_error_for(serde_json::json!([1, 2])).await;
    assert!(
        error.contains("invalid type: sequence, expected an object (Assistant)"),
        "{error}"
    );
}

#[tokio::test]
async fn wrong_optional_field_is_a_decode_error_naming_it() {
    // Fields record errors instead of returning early: an optional field
    // read after every required one still fails the decode, by name.
    let mut body = full_assistant();
    body["avatar_url"] = serde_json::json!(17);
    let error = decode_error_for(body).await;
    assert!(
        error.contains("Assistant.avatar_url: invalid type"),
        "{error}"
    );
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind then drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let error = client
        .create_assistant("org", &body_with_config())
        .await
        .unwrap_err();
    let Error::Transport(transport) = error else {
        panic!("expected a transport error, got {error:?}")
    };
    assert_eq!(transport.kind(), TransportKind::Connect, "{transport:?}");
}

#[tokio::test]
async fn timeout_is_a_transport_error() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(full_assistant())
            .set_delay(Duration::from_secs(5)),
    )
    .await;
    let error = client(&server)
        .create_assistant("org", &body_with_config())
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    let Error::Transport(transport) = error else {
        panic!("expected a transport error")
    };
    assert_eq!(transport.kind(), TransportKind::Timeout);
}

#[tokio::test]
async fn validation_failure_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);

    let empty = CreateAssistant::new("", AssistantConfig::default());
    let error = client.create_assistant("org", &empty).await.unwrap_err();
    let Error::Validation(validation) = error else {
        panic!("expected a validation error")
    };
    assert_eq!(validation.field, "name");
    assert!(
        validation.message.contains("at least 1"),
        "{}",
        validation.message
    );

    let long = CreateAssistant::new("x".repeat(1025), AssistantConfig::default());
    let Error::Validation(validation) = client.create_assistant("org", &long).await.unwrap_err()
    else {
        panic!()
    };
    assert_eq!(validation.field, "name");
    assert!(validation.message.contains("at most 1024"));

    // 1024 characters, each several bytes: the limit counts characters.
    let wide = CreateAssistant::new("é".repeat(1024), AssistantConfig::default());
    let server_ok = serve(ResponseTemplate::new(200).set_body_json(full_assistant())).await;
    Client::builder()
        .base_url(server_ok.uri())
        .build()
        .unwrap()
        .create_assistant("org", &wide)
        .await
        .unwrap();

    // A value the client does not know may be decoded but not sent.
    let unknown = CreateAssistant::new(
        "ok",
        AssistantConfig {
            language: Some(Language::Unknown("xx".to_owned())),
            ..AssistantConfig::default()
        },
    );
    let Error::Validation(validation) = client.create_assistant("org", &unknown).await.unwrap_err()
    else {
        panic!()
    };
    assert_eq!(validation.field, "config.language");
}

#[tokio::test]
async fn no_token_sends_no_authorization_header() {
    let server = serve(ResponseTemplate::new(200).set_body_json(full_assistant())).await;
    let client = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .build()
        .unwrap();
    client
        .create_assistant("org", &body_with_config())
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
    // A trailing slash on the base URL does not double the separator.
    assert_eq!(requests[0].url.path(), "/orgs/org/assistants");
}

#[test]
fn default_base_url_comes_from_the_spec() {
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.useinvent.com");
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://api.useinvent.com");
}
