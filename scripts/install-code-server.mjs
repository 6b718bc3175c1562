// Installs the test and playground host (code-server, a real VS Code) into .vscode-test/ once.
// Run by the integration tests, the browser tests and `npm start` when it is missing; running
// it by hand does the same and is a no-op when the host is there.
import { CODE_SERVER_VERSION, codeServerHome, ensureCodeServer, isCodeServerInstalled } from './lib/code-server.mjs';

try {
  if (isCodeServerInstalled()) {
    console.log(`code-server ${CODE_SERVER_VERSION} is already installed in ${codeServerHome}`);
  } else {
    await ensureCodeServer();
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
