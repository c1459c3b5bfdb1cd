//! Zero Distance (零距离): the shared Leptos app. Its pages are rendered on the server; their
//! islands (`#[island]`) are hydrated in the browser, each page's by its own bundle's WASM
//! (`hydration`, frontend/). Organised by capability; server-only code sits behind the `ssr`
//! feature.

#![recursion_limit = "256"]

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod codec;
pub mod csv;
pub mod error;
pub mod hydration;
pub mod i18n;
pub mod knowledge;
#[cfg(feature = "ssr")]
mod layout;
pub mod live;
pub mod lunch;
pub mod map;
pub mod notifications;
pub mod numbers;
pub mod open311;
pub mod points;
#[cfg(feature = "ssr")]
pub mod qr;
pub mod requests;
#[cfg(feature = "ssr")]
mod routes;
mod ui;
#[cfg(feature = "ssr")]
pub mod uploads;

#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "ssr")]
pub use routes::{shell, App};
