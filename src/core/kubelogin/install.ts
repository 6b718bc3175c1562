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
        {
          method: 'scoop',
          label: 'Scoop',
          command: 'scoop install kubelogin',
          note: 'the Main bucket; `azure-kubelogin` is a different program',
        },
        krew,
        release,
      ];
    default:
      return [krew, homebrew, release];
  }
}

function releaseOption(os: Platform, arch: string): InstallOption {
  const archive = `kubelogin_${os === 'win32' ? 'windows' : os}_${arch}.zip`;
  // A fresh temporary directory (never a fixed path another user could plant a file at), the
  // release's published SHA-256 checked before anything is unpacked, each step only after the last succeeded.
  if (os === 'win32') {
    return {
      method: 'release',
      label: 'Release binary (PowerShell)',
      command: [
        '$dir = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName()); New-Item -ItemType Directory $dir | Out-Null',
        `Invoke-WebRequest -Uri "${RELEASES}/${archive}" -OutFile "$dir\\${archive}"`,
        `Invoke-WebRequest -Uri "${RELEASES}/${archive}.sha256" -OutFile "$dir\\${archive}.sha256"`,
        // One statement from the check on: lines pasted into PowerShell run even after a line throws.
        `if ((Get-FileHash -Algorithm SHA256 "$dir\\${archive}").Hash -ne (Get-Content -Raw "$dir\\${archive}.sha256").Split(' ')[0]) { Write-Error "${archive}: checksum mismatch, not installed" } else { Expand-Archive -Force "$dir\\${archive}" $dir; Move-Item -Force "$dir\\kubelogin.exe" "<a folder on your PATH>\\kubectl-oidc_login.exe"; Remove-Item -Recurse -Force $dir }`,
      ].join('\n'),
      note: "checks the release's SHA-256 before unpacking; the binary must be named kubectl-oidc_login.exe for `kubectl oidc-login` to find it",
    };
  }
  const checksum = os === 'darwin' ? 'shasum -a 256 -c' : 'sha256sum -c';
  return {
    method: 'release',
    label: 'Release binary',
    command: [
      'dir="$(mktemp -d)" &&',
      `curl -fsSLo "$dir/${archive}" ${RELEASES}/${archive} &&`,
      `curl -fsSLo "$dir/${archive}.sha256" ${RELEASES}/${archive}.sha256 &&`,
      `(cd "$dir" && ${checksum} ${archive}.sha256) &&`,
      `unzip -o "$dir/${archive}" kubelogin -d "$dir" &&`,
      'sudo install -m 0755 "$dir/kubelogin" /usr/local/bin/kubectl-oidc_login &&',
      'rm -rf "$dir"',
    ].join('\n'),
    note: "checks the release's SHA-256 before unpacking; the binary must be named kubectl-oidc_login for `kubectl oidc-login` to find it",
  };
}

/** The first option, for a one-line hint. */
export function recommendedInstallCommand(platform: string, arch?: string): InstallOption {
  return installOptions(platform, arch)[0];
}
