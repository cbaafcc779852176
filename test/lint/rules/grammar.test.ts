import { grammarTables } from './grammar.cases.js';
import { runTables } from './table.js';

runTables(grammarTables);
