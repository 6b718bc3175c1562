/**
 * How to install int128/kubelogin on each platform, as its README lists them (Homebrew, Krew,
 * Chocolatey, GitHub release binary) plus Scoop's Main bucket, whose `kubelogin` is int128's
 * (Azure's is `azure-kubelogin` there). Every method except the release binary puts
 * `kubectl-oidc_login` on PATH, which is what `kubectl oidc-login` runs.
 */

export type InstallMethod = 'homebrew' | 'krew' | 'chocolatey' | 'scoop' | 'release';

export interface InstallOption {
  method: InstallMethod;
  label: string;
  /** What to paste into a terminal (several lines for the release binary). */
  command: string;
  note?: string;
}

export type Platform = 'darwin' | 'linux' | 'win32';

const RELEASES = 'https://github.com/int128/kubelogin/releases/latest/download';

/** The platforms kubelogin publishes binaries for; others fall back to Linux's instructions. */
export function normalisePlatform(platform: string): Platform {
  return platform === 'darwin' || platform === 'win32' ? platform : 'linux';
}

/** Release archives are named by Go's architecture names. */
function goArch(arch: string): 'amd64' | 'arm64' | 'arm' {
  if (arch === 'arm64') return 'arm64';
  if (arch === 'arm') return 'arm';
  return 'amd64';
}

/** Install options for a platform, the most convenient first. `arch` is Node's `process.arch`. */
export function installOptions(platform: string, arch: string = 'x64'): InstallOption[] {
  const os = normalisePlatform(platform);
  const krew: InstallOption = {
    method: 'krew',
    label: 'Krew (kubectl plugin manager)',
    command: 'kubectl krew install oidc-login',
    note: 'needs Krew itself: https://krew.sigs.k8s.io/docs/user-guide/setup/install/',
  };
  const homebrew: InstallOption = { method: 'homebrew', label: 'Homebrew', command: 'brew install kubelogin' };
  const release = releaseOption(os, goArch(arch));
  switch (os) {
    case 'darwin':
      return [homebrew, krew, release];
    case 'win32':
      return [
        { method: 'chocolatey', label: 'Chocolatey', command: 'choco install kubelogin' },
        { method: 'scoop', label: 'Scoop', command: 'scoop install kubelogin', note: 'the Main bucket; `azure-kubelogin` is a different program' },
        krew,
        release,
      ];
    default:
      return [krew, homebrew, release];
  }
}

function releaseOption(os: Platform, arch: string): InstallOption {
  const archive = `kubelogin_${os === 'win32' ? 'windows' : os}_${arch}.zip`;
  if (os === 'win32') {
    return {
      method: 'release',
      label: 'Release binary (PowerShell)',
      command: [
        `Invoke-WebRequest -Uri "${RELEASES}/${archive}" -OutFile "$env:TEMP\\kubelogin.zip"`,
        'Expand-Archive -Force "$env:TEMP\\kubelogin.zip" "$env:TEMP\\kubelogin"',
        'Move-Item -Force "$env:TEMP\\kubelogin\\kubelogin.exe" "<a folder on your PATH>\\kubectl-oidc_login.exe"',
      ].join('\n'),
      note: 'the binary must be named kubectl-oidc_login.exe for `kubectl oidc-login` to find it',
    };
  }
  return {
    method: 'release',
    label: 'Release binary',
    command: [
      `curl -fsSLo /tmp/kubelogin.zip ${RELEASES}/${archive}`,
      'unzip -o /tmp/kubelogin.zip kubelogin -d /tmp',
      'sudo install -m 0755 /tmp/kubelogin /usr/local/bin/kubectl-oidc_login',
    ].join('\n'),
    note: 'the binary must be named kubectl-oidc_login for `kubectl oidc-login` to find it',
  };
}

/** The first option, for a one-line hint. */
export function recommendedInstallCommand(platform: string, arch?: string): InstallOption {
  return installOptions(platform, arch)[0];
}
