// Validates the Gateway API objects in each JSON file named on the command
// line (an array of objects) with @kubernetes-models/gateway-api's
// validate(), which checks them against the CRDs' OpenAPI schema. Prints one
// line per object: `ok`, `FAIL` (with why) or `unknown` (a kind or version
// the package has no model for); exits 1 if any fails.
import fs from 'node:fs';
import { gatewayNetworkingK8sIo as gateway } from '@kubernetes-models/gateway-api';

let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const object of JSON.parse(fs.readFileSync(file, 'utf8'))) {
    const [group, version] = object.apiVersion.split('/');
    const label = `${object.kind} ${object.apiVersion} ${object.metadata.namespace}/${object.metadata.name}`;
    const Model = group === 'gateway.networking.k8s.io' ? gateway[version]?.[object.kind] : undefined;
    if (!Model) {
      console.log(`unknown ${label}`);
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`ok ${label}`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${label}: ${String(e.message).replace(/\n/g, ' | ')}`);
    }
  }
}
process.exit(failed ? 1 : 0);
