// Vite's client types (import.meta.env, `?url` imports). Office's globals come from "office-js".
/// <reference types="vite/client" />
