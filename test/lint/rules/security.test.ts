import { securityTables } from './security.cases.js';
import { runTables } from './table.js';

runTables(securityTables);
