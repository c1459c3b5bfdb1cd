//! How server functions' answers travel: JSON, as Leptos's own default, but read in the
//! browser from text, the way Leptos reads the resources it writes into a page.
//!
//! Why not Leptos's `Json`: it reads an answer from bytes (`serde_json::from_slice`), while a
//! resource's data in the page is read from a string (`from_str`). A type that is both, as
//! every type a page loads is, then has its deserializer compiled into the WASM twice, one
//! for each kind of reader: a quarter of the WASM's code was deserializers, two fifths of
//! them such copies. Reading answers as text too keeps one. The bytes on the wire are the
//! same.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON, read as text (see the module's comment).
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        // Our server writes UTF-8; anything else fails as JSON would.
        serde_json::from_str(&String::from_utf8_lossy(&bytes))
    }
}

/// The output encoding of every server function: `#[server(…, output = crate::codec::Json)]`.
pub type Json = Post<JsonText>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_as_leptos_json_does() {
        let value = (7_i64, "长寿路".to_owned(), Some(vec![1.5_f64]));
        let bytes = <JsonText as Encodes<_>>::encode(&value).unwrap();
        assert_eq!(
            bytes,
            leptos::server_fn::codec::JsonEncoding::encode(&value).unwrap()
        );
        let back: (i64, String, Option<Vec<f64>>) = JsonText::decode(bytes).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        let result: Result<Vec<i64>, _> = JsonText::decode(Bytes::from_static(b"[1, \xff"));
        assert!(result.is_err());
    }
}
