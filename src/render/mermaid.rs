//! Mermaid flowcharts (placeholder, filled in below).
