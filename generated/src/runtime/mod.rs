//! Hand-written runtime of the SDK.
