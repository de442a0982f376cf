//! What one would write by hand for the same call: serde structs with the
//! spec's field types (chrono timestamps, `Option` for optional fields,
//! serde enums with an `Unknown` catch-all) and a reqwest call.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct CreateAssistant {
    pub name: String,
    pub config: AssistantConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// `None`: absent; `Some(None)`: `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_secret_key: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Assistant {
    pub id: String,
    pub name: String,
    pub enabled: bool,
    pub deleted: bool,
    pub secret_key: Option<String>,
    pub avatar_url: Option<String>,
    pub config: AssistantConfig,
    pub integrations: Vec<AssistantIntegration>,
    pub actions: Vec<AssistantAction>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssistantConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stt: Option<SpeechToTextConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tts: Option<TextToSpeechConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub knowledge_scope: Option<KnowledgeScope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Auto,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreadMode {
    New,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KnowledgeScope {
    All,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IntegrationId {
    Internal,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SpeechToTextConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextToSpeechConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConversationConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_mode: Option<ThreadMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_memories: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_transfer_to_human_tool: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub welcome_banner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_messages: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_intro_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_end_conversation_tool: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_block_contact_tool: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_auto_resolve: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_auto_follow_ups: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_auto_csat: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_private_chats: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssistantIntegration {
    pub id: Option<String>,
    pub enabled: Option<bool>,
    pub integration_id: Option<IntegrationId>,
    pub assistant_id: Option<String>,
    pub connection_id: Option<String>,
    pub config: Option<serde_json::Map<String, serde_json::Value>>,
    pub error: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AssistantAction {
    pub id: Option<String>,
    pub enabled: Option<bool>,
    pub name: Option<String>,
    pub instructions: Option<String>,
    pub action_id: Option<String>,
    pub assistant_id: Option<String>,
    pub connection_id: Option<String>,
    pub config: Option<ActionConfig>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActionConfig {
    pub input: Option<serde_json::Map<String, serde_json::Value>>,
    pub definitions: Option<Vec<ActionDefinition>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActionDefinition {
    pub path: Option<String>,
    pub definition: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The hand-written client: one reqwest client, the base URL and the token.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base_url: String,
    pub token: String,
}

/// What went wrong; the payloads are only read through `Debug`.
#[derive(Debug)]
#[allow(dead_code)]
pub enum Error {
    Http(reqwest::Error),
    Status(reqwest::StatusCode, Vec<u8>),
    Json(serde_json::Error),
}

impl Client {
    pub fn new(base_url: &str, token: &str) -> Self {
        Self {
            http: reqwest::Client::builder().build().expect("reqwest client"),
            base_url: base_url.to_owned(),
            token: token.to_owned(),
        }
    }

    /// POST /orgs/{org_id}/assistants
    pub async fn create_assistant(
        &self,
        org_id: &str,
        body: &CreateAssistant,
    ) -> Result<Assistant, Error> {
        let bytes = serde_json::to_vec(body).map_err(Error::Json)?;
        let response = self
            .http
            .post(format!("{}/orgs/{}/assistants", self.base_url, org_id))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes)
            .send()
            .await
            .map_err(Error::Http)?;
        let status = response.status();
        let body = response.bytes().await.map_err(Error::Http)?;
        if status != reqwest::StatusCode::OK {
            return Err(Error::Status(status, body.to_vec()));
        }
        serde_json::from_slice(&body).map_err(Error::Json)
    }
}
