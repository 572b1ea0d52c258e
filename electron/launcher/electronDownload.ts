/**
 * Where Electron's installer fetches its binary from, so that a failed download can be named
 * with its address: @electron/get's default (GitHub's release downloads) or the mirror the user
 * set. @electron/get does not export its own resolver; this follows its rules for the variables
 * people set (ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, ELECTRON_CUSTOM_FILENAME and their
 * npm_config_electron_* forms).
 */
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

function setting(env: NodeJS.ProcessEnv, name: 'mirror' | 'custom_dir' | 'custom_filename'): string | undefined {
  return env[`npm_config_electron_${name}`] || env[`NPM_CONFIG_ELECTRON_${name.toUpperCase()}`] || env[`ELECTRON_${name.toUpperCase()}`] || undefined;
}

export function electronDownloadUrl(version: string, env: NodeJS.ProcessEnv = process.env, platform: string = process.platform, arch: string = process.arch): string {
  const tag = `v${version.replace(/^v/, '')}`;
  const targetPlatform = env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || platform;
  const targetArch = env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || arch;
  const base = setting(env, 'mirror') ?? DEFAULT_MIRROR;
  const dir = (setting(env, 'custom_dir') ?? tag).replace('{{ version }}', tag.slice(1));
  const file = setting(env, 'custom_filename') ?? `electron-${tag}-${targetPlatform}-${targetArch}.zip`;
  return `${base}${dir}/${file}`;
}
