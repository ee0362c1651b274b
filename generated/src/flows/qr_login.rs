//! QR-code login (placeholder until the flow lands).
