// @ts-check
/**
 * The layers of the main process, fenced as VS Code fences its own (`code-layering`): a module
 * may import from its own folder, from the folders listed for it below, and from shared/, and
 * nothing else. Lower layers know nothing of the ones above; the composition root
 * (services/composition) is the one place that puts the till, its services and the app together.
 * Import cycles are refused everywhere, type-only imports included. Run by `npm run lint`.
 */

/** For each folder of electron/services, the other folders it may import from. */
const SERVICE_LAYERS = {
  // Foundations: no other service.
  files: [],
  sqlite: [],
  http: [],
  gateway: [],
  config: [],
  settings: ['files', 'config'],
  ledger: ['files', 'settings', 'sqlite', 'config'],
  till: ['gateway', 'ledger', 'config'],
  reports: ['ledger', 'sqlite', 'till', 'config'],
  printing: ['ledger', 'reports', 'config'],
  headOffice: ['gateway', 'ledger', 'reports', 'sqlite', 'till', 'config'],
  // The till and its services opened on one ledger, as the CLI and the app both use it.
  runtime: ['files', 'sqlite', 'http', 'gateway', 'config', 'settings', 'ledger', 'till', 'reports', 'printing', 'headOffice'],
  // The command boundary: it dispatches to handlers it knows only by their type.
  ipc: ['ledger'],
  app: ['files', 'sqlite', 'http', 'gateway', 'config', 'settings', 'ledger', 'till', 'reports', 'printing', 'headOffice', 'runtime', 'ipc'],
  // The composition root: the app's configuration, the ledger's identity check, and the app put together.
  composition: ['files', 'sqlite', 'http', 'gateway', 'config', 'settings', 'ledger', 'till', 'reports', 'printing', 'headOffice', 'runtime', 'ipc', 'app'],
};

/** The programs built on the services: nothing below them may import them. */
const ENTRY_POINTS = ['main', 'preload', 'web', 'cli', 'relay', 'launcher', 'simulator'];
const PROGRAMS = (names) => `^electron/((${names.join('|')})/|start\\.ts$)`;

const layerRules = Object.entries(SERVICE_LAYERS).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  comment: `electron/services/${folder} may import only ${allowed.length ? allowed.join(', ') : 'no other service'} (and shared/): see .dependency-cruiser.cjs`,
  severity: 'error',
  from: { path: `^electron/services/${folder}/` },
  to: { path: '^electron/services/', pathNot: `^electron/services/(${[folder, ...allowed].join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle (type-only ones included) means two modules are one job, or one sits in the wrong layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'services-below-programs',
      comment: 'The services know nothing of the programs built on them; only the runtime starts the demo gateway (electron/simulator).',
      severity: 'error',
      from: { path: '^electron/services/', pathNot: '^electron/services/runtime/' },
      to: { path: PROGRAMS(ENTRY_POINTS) },
    },
    {
      name: 'runtime-starts-only-the-simulator',
      severity: 'error',
      from: { path: '^electron/services/runtime/' },
      to: { path: PROGRAMS(ENTRY_POINTS.filter((name) => name !== 'simulator')) },
    },
    {
      name: 'simulator-on-foundations',
      comment: 'The QFPay simulator stands in for the gateway: it may use the HTTP and SQLite foundations, never the till.',
      severity: 'error',
      from: { path: '^electron/simulator/' },
      to: { path: '^electron/services/', pathNot: '^electron/services/(http|sqlite)/' },
    },
    {
      name: 'services-in-a-layer',
      comment: 'Every service module sits in one of the folders listed in SERVICE_LAYERS, so that a layer rule applies to it.',
      severity: 'error',
      from: { path: '^electron/services/', pathNot: `^electron/services/(${Object.keys(SERVICE_LAYERS).join('|')})/` },
      to: {},
    },
    {
      name: 'preload-through-the-contract',
      comment: 'A preload exposes the contract to its page and nothing else: it may import shared/ only.',
      severity: 'error',
      from: { path: '^electron/preload/' },
      to: { path: '^(electron|renderer)/', pathNot: '^electron/preload/' },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(electron|renderer)/' },
    },
    {
      name: 'renderer-through-the-contract',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'no-orphans-in-services',
      comment: 'A service module nothing imports is dead code.',
      severity: 'error',
      from: { orphan: true, path: '^electron/services/' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|out|dist|test-results)/' },
    // Type-only imports are dependencies too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
