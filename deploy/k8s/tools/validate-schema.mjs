// Offline schema check of the rendered manifests (catches wrong types and missing fields, not misspelt ones):
//   mkdir /tmp/k8sval && cp deploy/k8s/tools/validate-schema.mjs /tmp/k8sval && (cd /tmp/k8sval && npm install kubernetes-models yaml)
//   kubectl kustomize deploy/k8s > /tmp/maspo.yaml && node /tmp/k8sval/validate-schema.mjs /tmp/maspo.yaml
// (ES modules resolve packages next to the script, hence the copy.)
import fs from 'fs';
import YAML from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Job } from 'kubernetes-models/batch/v1/Job';
const kinds = { Deployment, Service, ConfigMap, Secret, Job };
const docs = YAML.parseAllDocuments(fs.readFileSync(process.argv[2], 'utf8')).map(d => d.toJSON()).filter(Boolean);
let failed = 0;
for (const doc of docs) {
  try { new kinds[doc.kind](doc).validate(); console.log('ok', doc.kind, doc.metadata.name); }
  catch (e) { failed++; console.log('FAIL', doc.kind, doc.metadata.name, e.message); }
}
process.exit(failed ? 1 : 0);
