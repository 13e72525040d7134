// Offline checks of one rendered overlay (the output of `kubectl kustomize`); deploy/k8s/tools/validate.sh runs it
// for every overlay. Four kinds of checks:
//  1. schema: every object against the Kubernetes schemas (npm kubernetes-models) or the KEDA CRD schemas
//     (@kubernetes-models/keda): wrong types, missing required fields, unknown kinds. The schemas accept unknown
//     field names, so a misspelt field passes them: the rules below check the fields they rely on by name;
//  2. hardening of every pod: non-root, seccomp, no privilege escalation, read-only root file system with a /tmp
//     volume, all capabilities dropped, no service account token, resources, probes on the management port. A pod
//     may relax seccomp, AppArmor and /proc only with the annotation maspo.ai/security-exception: code-sandbox;
//  3. references: ConfigMaps and their keys, Secrets (with --self-contained every one must be in the render, else
//     the missing ones are listed as what the cluster must provide), ServiceAccounts, Services and ports, Ingress
//     backends, a default-deny NetworkPolicy and a PodDisruptionBudget where due;
//  4. scaling: one autoscaler per target, its maximum within the partitions the setup Job creates, the KEDA trigger
//     matching the evaluators' consumer group and topic and maspo-config's Kafka settings, the evaluator's grace
//     period covering its drain timeout.
// Usage: node validate.mjs [--self-contained] [--evaluator-config application.properties] RENDERED.yaml
//        node validate.mjs --self-test   (proves on this Node.js that the schemas reject broken objects)
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';

const MODELS = {
  'v1/ConfigMap': ConfigMap, 'v1/Secret': Secret, 'v1/Service': Service, 'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment, 'batch/v1/Job': Job, 'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy, 'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject, 'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};
// The kafka scaler's metadata is a free string map: a misspelt key would be ignored by KEDA, so only these pass.
const KAFKA_TRIGGER_KEYS = new Set(['bootstrapServers', 'consumerGroup', 'topic', 'lagThreshold', 'activationLagThreshold',
  'offsetResetPolicy', 'allowIdleConsumers', 'scaleToZeroOnInvalidOffset', 'excludePersistentLag',
  'limitToPartitionsWithLag', 'ensureEvenDistributionOfPartitions', 'version', 'partitionLimitation', 'sasl', 'tls',
  'unsafeSsl']);
const SANDBOX_EXCEPTION = 'code-sandbox';
// What else a stopping evaluator does after its drain: commit, leave the group, close its producers.
const SHUTDOWN_AFTER_DRAIN_SECONDS = 20;
const DEFAULT_DRAIN_SECONDS = 20;

const errors = [];
const fail = (where, message) => errors.push(`${where}: ${message}`);
const name = o => `${o.kind}/${o.metadata?.name}`;

function schemaErrors(doc) {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) {
    return `no schema for ${doc.apiVersion} ${doc.kind} (add it to validate.mjs)`;
  }
  try {
    new Model(doc).validate();
    return null;
  } catch (e) {
    return e.message;
  }
}

const selects = (matchLabels, labels) =>
  Object.entries(matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);

function durationSeconds(text) {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[m[2] ?? 's'];
}

function validate(docs, { selfContained, evaluatorConfig }) {
  const byKind = kind => docs.filter(d => d.kind === kind);
  const find = (kind, n) => docs.find(d => d.kind === kind && d.metadata?.name === n);
  const externalSecrets = new Map();

  for (const doc of docs) {
    const problem = schemaErrors(doc);
    if (problem) fail(name(doc), `schema: ${problem}`);
  }

  const secretRef = (where, secretName, key, optional) => {
    const secret = find('Secret', secretName);
    if (secret) {
      if (key && !optional && !(key in { ...secret.data, ...secret.stringData })) fail(where, `Secret ${secretName} has no key ${key}`);
    } else if (!optional) {
      if (selfContained) fail(where, `Secret ${secretName} is not in the render`);
      if (!externalSecrets.has(secretName)) externalSecrets.set(secretName, new Set());
      if (key) externalSecrets.get(secretName).add(key);
    }
  };
  const configMapRef = (where, mapName, key, optional) => {
    const map = find('ConfigMap', mapName);
    if (!map) {
      if (!optional) fail(where, `ConfigMap ${mapName} is not in the render`);
    } else if (key && !optional && !(key in (map.data ?? {}))) {
      fail(where, `ConfigMap ${mapName} has no key ${key}`);
    }
  };

  const workloads = [...byKind('Deployment'), ...byKind('Job')];
  for (const w of workloads) {
    const where = name(w);
    const template = w.spec?.template ?? {};
    const pod = template.spec ?? {};
    const labels = template.metadata?.labels ?? {};
    const exception = template.metadata?.annotations?.['maspo.ai/security-exception'];
    if (exception !== undefined && !(exception === SANDBOX_EXCEPTION && w.metadata.name === 'maspo-evaluator')) {
      fail(where, `security exception "${exception}" is only known for the evaluator's code sandbox`);
    }
    const sandbox = exception === SANDBOX_EXCEPTION;

    if (pod.automountServiceAccountToken !== false) fail(where, 'automountServiceAccountToken must be false');
    const account = find('ServiceAccount', pod.serviceAccountName);
    if (!account) fail(where, `its ServiceAccount ${pod.serviceAccountName ?? '(none)'} is not in the render`);
    else if (account.automountServiceAccountToken !== false) fail(name(account), 'automountServiceAccountToken must be false');
    const psc = pod.securityContext ?? {};
    if (psc.runAsNonRoot !== true) fail(where, 'securityContext.runAsNonRoot must be true');
    if (!['RuntimeDefault', 'Localhost'].includes(psc.seccompProfile?.type)) fail(where, 'securityContext.seccompProfile.type must be RuntimeDefault (or Localhost)');
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC) fail(where, 'no host namespaces');
    if (sandbox && pod.hostUsers !== false) fail(where, 'the code sandbox exception needs hostUsers: false');

    const volumes = new Map((pod.volumes ?? []).map(v => [v.name, v]));
    for (const v of volumes.values()) {
      if (v.configMap) configMapRef(`${where} volume ${v.name}`, v.configMap.name, null, v.configMap.optional);
      if (v.secret) secretRef(`${where} volume ${v.name}`, v.secret.secretName, null, v.secret.optional);
      if (v.hostPath) fail(where, `hostPath volume ${v.name}`);
    }
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const cw = `${where} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) fail(cw, 'securityContext.allowPrivilegeEscalation must be false');
      if (sc.readOnlyRootFilesystem !== true) fail(cw, 'securityContext.readOnlyRootFilesystem must be true');
      if (sc.privileged === true) fail(cw, 'privileged');
      if (!(sc.capabilities?.drop ?? []).includes('ALL')) fail(cw, 'securityContext.capabilities.drop must include ALL');
      if ((sc.capabilities?.add ?? []).length) fail(cw, `adds capabilities ${sc.capabilities.add}`);
      if (sc.seccompProfile && !['RuntimeDefault', 'Localhost'].includes(sc.seccompProfile.type) && !sandbox) fail(cw, `seccomp ${sc.seccompProfile.type}`);
      if (sc.appArmorProfile && sc.appArmorProfile.type === 'Unconfined' && !sandbox) fail(cw, 'AppArmor Unconfined');
      if (sc.procMount && sc.procMount !== 'Default' && !sandbox) fail(cw, `procMount ${sc.procMount}`);
      if (sc.runAsUser === 0) fail(cw, 'runs as root');
      const r = c.resources ?? {};
      if (!r.requests?.cpu || !r.requests?.memory || !r.limits?.memory) fail(cw, 'resources: requests.cpu, requests.memory and limits.memory are required');
      const tmp = (c.volumeMounts ?? []).find(m => m.mountPath === '/tmp');
      if (!tmp || !volumes.get(tmp.name)?.emptyDir) fail(cw, 'a read-only root needs an emptyDir at /tmp');
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) fail(cw, `mounts unknown volume ${m.name}`);
      if (w.kind === 'Deployment') {
        const management = (c.ports ?? []).some(p => p.name === 'management');
        for (const probe of ['readinessProbe', 'livenessProbe']) {
          const p = c[probe];
          if (!p) fail(cw, `${probe} is required`);
          else if (management && !['management', 9000].includes(p.httpGet?.port)) fail(cw, `${probe} must ask the management port`);
        }
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom ?? {};
        if (ref.configMapKeyRef) configMapRef(`${cw} env ${e.name}`, ref.configMapKeyRef.name, ref.configMapKeyRef.key, ref.configMapKeyRef.optional);
        if (ref.secretKeyRef) secretRef(`${cw} env ${e.name}`, ref.secretKeyRef.name, ref.secretKeyRef.key, ref.secretKeyRef.optional);
      }
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef) configMapRef(`${cw} envFrom`, e.configMapRef.name, null, e.configMapRef.optional);
        if (e.secretRef) secretRef(`${cw} envFrom`, e.secretRef.name, null, e.secretRef.optional);
      }
    }

    const policies = byKind('NetworkPolicy').filter(p => selects(p.spec?.podSelector?.matchLabels, labels));
    const isolated = t => policies.some(p => (p.spec.policyTypes ?? []).includes(t) && !(p.spec[t.toLowerCase()] ?? []).length);
    if (!isolated('Ingress') || !isolated('Egress')) fail(where, 'no default-deny NetworkPolicy (Ingress and Egress) selects its pods');
    for (const p of byKind('NetworkPolicy')) {
      if (p.spec?.podSelector?.matchExpressions) fail(name(p), 'matchExpressions are not checked by validate.mjs: use matchLabels');
    }
    if (w.kind === 'Deployment') {
      if (!selects(w.spec.selector?.matchLabels, labels)) fail(where, 'its selector does not match its pod labels');
      const scalers = [...byKind('HorizontalPodAutoscaler'), ...byKind('ScaledObject')]
        .filter(s => s.spec.scaleTargetRef?.name === w.metadata.name);
      if (scalers.length > 1) fail(where, `scaled by ${scalers.map(name)}: one autoscaler at most`);
      if (scalers.length && w.spec.replicas !== undefined) fail(where, 'autoscaled: leave replicas to the autoscaler');
      const several = scalers.length > 0 || (w.spec.replicas ?? 1) > 1;
      if (several && !byKind('PodDisruptionBudget').some(b => selects(b.spec.selector?.matchLabels, labels))) {
        fail(where, 'runs several replicas but no PodDisruptionBudget selects them');
      }
    }
  }

  for (const s of byKind('Service')) {
    const targets = byKind('Deployment').filter(d => selects(s.spec.selector, d.spec.template.metadata?.labels));
    if (!targets.length) fail(name(s), 'selects no pod template');
    for (const port of s.spec.ports ?? []) {
      if (typeof port.targetPort === 'string' && !targets.some(d => d.spec.template.spec.containers.some(c => (c.ports ?? []).some(p => p.name === port.targetPort)))) {
        fail(name(s), `targetPort ${port.targetPort} is no container port`);
      }
    }
  }
  for (const ing of byKind('Ingress')) {
    for (const rule of ing.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        const service = find('Service', backend.name);
        if (!service) fail(name(ing), `backend Service ${backend.name} is not in the render`);
        else if (!(service.spec.ports ?? []).some(p => p.name === backend.port.name || p.port === backend.port.number)) fail(name(ing), `Service ${backend.name} has no port ${backend.port.name ?? backend.port.number}`);
      }
    }
    for (const tls of ing.spec.tls ?? []) secretRef(`${name(ing)} tls`, tls.secretName, null, false);
  }

  // Scaling: partitions of the topics the setup Job creates bound the useful evaluator count.
  const setup = find('Job', 'maspo-kafka-setup');
  let partitions = NaN;
  if (setup) {
    const env = setup.spec.template.spec.containers[0].env ?? [];
    const explicit = env.find(e => e.name === 'PARTITIONS')?.value;
    const scriptMap = setup.spec.template.spec.volumes?.find(v => v.configMap)?.configMap?.name;
    const script = find('ConfigMap', scriptMap)?.data?.['kafka-setup.sh'] ?? '';
    partitions = Number(explicit ?? /PARTITIONS:-(\d+)/.exec(script)?.[1]);
    if (!Number.isInteger(partitions)) fail(name(setup), 'cannot tell how many partitions it creates');
  }
  const config = find('ConfigMap', 'maspo-config')?.data ?? {};
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    if (!find('Deployment', hpa.spec.scaleTargetRef.name)) fail(name(hpa), `target ${hpa.spec.scaleTargetRef.name} is not in the render`);
    if (hpa.spec.maxReplicas > partitions) fail(name(hpa), `maxReplicas ${hpa.spec.maxReplicas} > ${partitions} partitions: the extra replicas would idle`);
  }
  for (const so of byKind('ScaledObject')) {
    const where = name(so);
    if (!find('Deployment', so.spec.scaleTargetRef.name)) fail(where, `target ${so.spec.scaleTargetRef.name} is not in the render`);
    if ((so.spec.maxReplicaCount ?? 100) > partitions) fail(where, `maxReplicaCount ${so.spec.maxReplicaCount ?? '100 (default)'} > ${partitions} partitions: the extra replicas would idle`);
    for (const t of so.spec.triggers) {
      if (t.type !== 'kafka') continue;
      const m = t.metadata;
      for (const key of Object.keys(m)) if (!KAFKA_TRIGGER_KEYS.has(key)) fail(where, `unknown kafka trigger key ${key}`);
      if (evaluatorConfig) {
        const group = evaluatorConfig['mp.messaging.incoming.evaluation-requests.group.id'];
        const topic = evaluatorConfig['mp.messaging.incoming.evaluation-requests.topic'];
        if (m.consumerGroup !== group) fail(where, `consumerGroup ${m.consumerGroup}, but the evaluators' group is ${group}`);
        if (m.topic !== topic) fail(where, `topic ${m.topic}, but the evaluators read ${topic}`);
      }
      if (m.bootstrapServers !== config.KAFKA_BOOTSTRAP_SERVERS) fail(where, `bootstrapServers ${m.bootstrapServers} != maspo-config KAFKA_BOOTSTRAP_SERVERS ${config.KAFKA_BOOTSTRAP_SERVERS}`);
      const sasl = (config.KAFKA_SASL_MECHANISM ?? '').toLowerCase().replace(/^scram-sha-/, 'scram_sha');
      if (m.sasl !== sasl) fail(where, `sasl ${m.sasl}, but the services use ${config.KAFKA_SASL_MECHANISM}`);
      const tls = config.KAFKA_SECURITY_PROTOCOL === 'SASL_SSL' ? 'enable' : 'disable';
      if ((m.tls ?? 'disable') !== tls) fail(where, `tls ${m.tls}, but the services use ${config.KAFKA_SECURITY_PROTOCOL}`);
      if (!/^[1-9]\d*$/.test(m.lagThreshold ?? '')) fail(where, 'lagThreshold must be a positive integer (as a string)');
      const auth = t.authenticationRef && find('TriggerAuthentication', t.authenticationRef.name);
      if (!auth) fail(where, `TriggerAuthentication ${t.authenticationRef?.name ?? '(none)'} is not in the render`);
      for (const ref of auth?.spec?.secretTargetRef ?? []) secretRef(`${name(auth)} ${ref.parameter}`, ref.name, ref.key, false);
    }
  }
  const evaluator = find('Deployment', 'maspo-evaluator');
  if (evaluator) {
    const pod = evaluator.spec.template.spec;
    const drainEnv = pod.containers[0].env?.find(e => e.name === 'MASPO_EVALUATOR_SHUTDOWN_DRAIN_TIMEOUT')?.value;
    const drain = drainEnv === undefined ? DEFAULT_DRAIN_SECONDS : durationSeconds(drainEnv);
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (!(grace >= drain + SHUTDOWN_AFTER_DRAIN_SECONDS)) fail(name(evaluator), `terminationGracePeriodSeconds ${grace} < drain timeout ${drainEnv ?? DEFAULT_DRAIN_SECONDS + 's'} + ${SHUTDOWN_AFTER_DRAIN_SECONDS} s`);
  }
  return externalSecrets;
}

function selfTest() {
  const broken = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'wrong-type' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 1 }] } } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-containers' }, spec: { selector: {}, template: { spec: {} } } },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'string-max' },
      spec: { scaleTargetRef: { name: 'x' }, maxReplicaCount: '12', triggers: [{ type: 'kafka', metadata: {} }] } },
    { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'no-triggers' }, spec: { scaleTargetRef: { name: 'x' } } },
  ];
  const passed = broken.filter(d => !schemaErrors(d)).map(name);
  if (passed.length) {
    console.log(`self-test FAILED: the schemas accepted broken objects ${passed.join(', ')} (Node.js ${process.version})`);
    process.exit(1);
  }
  validate([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bare' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }], {});
  if (!errors.some(e => e.includes('runAsNonRoot')) || !errors.some(e => e.includes('readOnlyRootFilesystem'))) {
    console.log('self-test FAILED: a Deployment without any hardening passed the rules');
    process.exit(1);
  }
  console.log(`self-test: ${broken.length} broken objects rejected by the schemas, a bare Deployment by ${errors.length} rules (Node.js ${process.version})`);
}

const args = process.argv.slice(2);
if (args.includes('--self-test')) {
  selfTest();
  process.exit(0);
}
const option = n => { const i = args.indexOf(n); return i < 0 ? undefined : args.splice(i, 2)[1]; };
const selfContained = args.includes('--self-contained');
const configFile = option('--evaluator-config');
const evaluatorConfig = configFile && Object.fromEntries(fs.readFileSync(configFile, 'utf8').split('\n')
  .filter(l => /^[^#%\s][^=]*=/.test(l)).map(l => [l.slice(0, l.indexOf('=')).trim(), l.slice(l.indexOf('=') + 1).trim()]));
const file = args.filter(a => !a.startsWith('--'))[0];
const label = path.basename(file, '.yaml');
const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJSON()).filter(Boolean);
const external = validate(docs, { selfContained, evaluatorConfig });
const kinds = Object.entries(docs.reduce((n, d) => ({ ...n, [d.kind]: (n[d.kind] ?? 0) + 1 }), {}))
  .map(([k, n]) => `${n} ${k}`).join(', ');
if (errors.length) {
  console.log(`${label}: ${errors.length} problem(s)\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
console.log(`${label}: ${docs.length} objects (${kinds}): schemas, hardening, references and scaling ok`);
if (external.size) {
  console.log(`  Secrets the cluster must provide: ${[...external].map(([n, keys]) => `${n} (${[...keys].join(', ') || 'any keys'})`).join('; ')}`);
}
