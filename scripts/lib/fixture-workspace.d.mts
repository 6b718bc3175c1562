// Types of fixture-workspace.mjs for the TypeScript test helpers.
export const SHARED_WORKSPACE_FILES: Readonly<Record<string, string>>;
