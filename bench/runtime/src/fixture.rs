//! The bodies both clients exchange: the request of the "Create Assistant"
//! call and a 200 response holding every documented field (the one
//! tests/wire.rs uses).

pub const RESPONSE: &str = r#"{"id":"asst_1","name":"Helper","enabled":true,"deleted":false,"secret_key":"s3cr3t-value","avatar_url":"https://cdn.example.com/a.png","config":{"language":"auto","model":"gpt","stt":{"model":"whisper"},"tts":{"model":"voice-1","voice_id":"v1"},"conversation":{"thread_mode":"new","enable_memories":true,"enable_transfer_to_human_tool":true,"welcome_banner":"Hi","suggested_messages":["a","b"],"auto_intro_message":"Hello","enable_end_conversation_tool":true,"enable_block_contact_tool":false,"enable_auto_resolve":true,"enable_auto_follow_ups":false,"enable_auto_csat":true,"enable_private_chats":false},"knowledge_scope":"all","timezone":"Europe/Paris","instructions":"Be brief."},"integrations":[{"id":"int_1","enabled":true,"integration_id":"internal","assistant_id":"asst_1","connection_id":"conn_1","config":{"k":1},"error":"none","created_at":"2023-11-07T05:31:56Z","updated_at":"2023-11-07T05:31:56Z"}],"actions":[{"id":"act_1","enabled":true,"name":"Lookup","instructions":"Look it up","action_id":"lookup","assistant_id":"asst_1","connection_id":"conn_1","config":{"input":{"q":"x"},"definitions":[{"path":"/a","definition":{"type":"object"}}]},"created_at":"2023-11-07T05:31:56Z","updated_at":"2023-11-07T05:31:56Z"}],"created_at":"2023-11-07T05:31:56Z","updated_at":null}"#;

/// The generated client's request body.
pub fn generated_body() -> invent_client::types::CreateAssistant {
    use invent_client::Nullable;
    use invent_client::types::{
        AssistantConfig, ConversationConfig, CreateAssistant, KnowledgeScope, Language,
        SpeechToTextConfig, TextToSpeechConfig, ThreadMode,
    };
    let config = AssistantConfig {
        language: Some(Language::Auto),
        model: Some("gpt".to_owned()),
        stt: Some(SpeechToTextConfig {
            model: Some("whisper".to_owned()),
        }),
        tts: Some(TextToSpeechConfig {
            model: Some("voice-1".to_owned()),
            voice_id: Some("v1".to_owned()),
        }),
        conversation: Some(ConversationConfig {
            thread_mode: Some(ThreadMode::New),
            enable_memories: Some(true),
            welcome_banner: Some("Hi".to_owned()),
            suggested_messages: Some(vec!["a".to_owned(), "b".to_owned()]),
            ..ConversationConfig::default()
        }),
        knowledge_scope: Some(KnowledgeScope::All),
        timezone: Some("Europe/Paris".to_owned()),
        instructions: Some("Be brief.".to_owned()),
    };
    CreateAssistant {
        enabled: Some(true),
        avatar_id: Nullable::Null,
        generate_secret_key: Some(false),
        ..CreateAssistant::new("Helper", config)
    }
}

/// The same body, hand-written.
pub fn handwritten_body() -> crate::handwritten::CreateAssistant {
    use crate::handwritten::*;
    CreateAssistant {
        name: "Helper".to_owned(),
        config: AssistantConfig {
            language: Some(Language::Auto),
            model: Some("gpt".to_owned()),
            stt: Some(SpeechToTextConfig {
                model: Some("whisper".to_owned()),
            }),
            tts: Some(TextToSpeechConfig {
                model: Some("voice-1".to_owned()),
                voice_id: Some("v1".to_owned()),
            }),
            conversation: Some(ConversationConfig {
                thread_mode: Some(ThreadMode::New),
                enable_memories: Some(true),
                welcome_banner: Some("Hi".to_owned()),
                suggested_messages: Some(vec!["a".to_owned(), "b".to_owned()]),
                ..ConversationConfig::default()
            }),
            knowledge_scope: Some(KnowledgeScope::All),
            timezone: Some("Europe/Paris".to_owned()),
            instructions: Some("Be brief.".to_owned()),
        },
        enabled: Some(true),
        avatar_id: Some(None),
        generate_secret_key: Some(false),
    }
}
