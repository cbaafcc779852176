import { keyConfigurationTables } from './key-configuration.cases.js';
import { runTables } from './table.js';

runTables(keyConfigurationTables);
