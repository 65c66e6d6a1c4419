// The version and home page the CLI reports (--version, JSON and SARIF tool info).
import packageJson from '../../../package.json';

export const TOOL_NAME = 'shipshape';
export const TOOL_VERSION: string = packageJson.version;
export const INFORMATION_URI = 'https://github.com/shipshape-dev/shipshape';
