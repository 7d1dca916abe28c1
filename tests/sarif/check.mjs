// Validates SARIF logs against a JSON schema with Ajv, the reference
// JavaScript validator: the first argument is the schema, each further one a
// SARIF file. Prints one line per file: `ok FILE`, or `FAIL FILE: ` and every
// error as `instancePath message`; exits 1 if any fails. Formats (uri,
// uri-reference, date-time) are checked too, with ajv-formats. Patterns are
// read as ECMAScript regular expressions without the `u` flag, as JSON Schema
// draft-07 specifies them: the published SARIF schema's `run.language`
// pattern has a stray `]`, which is a literal there and an error under `u`.
import fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const [schemaFile, ...files] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));

let failed = 0;
for (const file of files) {
  if (validate(JSON.parse(fs.readFileSync(file, 'utf8')))) {
    console.log(`ok ${file}`);
  } else {
    failed += 1;
    const errors = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
    console.log(`FAIL ${file}: ${errors.join(' | ')}`);
  }
}
process.exit(failed ? 1 : 0);
