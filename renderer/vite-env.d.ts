/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_SERVER_URL?: string;
  readonly VITE_DEMO?: string;
  readonly VITE_APP_VERSION?: string;
}
