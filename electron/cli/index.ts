import { EXIT } from './exitCodes';
import { runCli } from './main';
import { stdinSecret } from './readSecret';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const outcome = await runCli(argv, process.env, stdinSecret);
if (json) console.log(JSON.stringify(outcome.json, null, 2));
else for (const line of outcome.lines) (outcome.exitCode === EXIT.ok ? console.log : console.error)(line);
process.exitCode = outcome.exitCode;
