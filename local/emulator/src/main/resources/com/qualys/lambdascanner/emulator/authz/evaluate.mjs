// The local emulator's IAM evaluator (Authorizer.java): one long-lived process, one JSON request per line on stdin,
// one JSON answer per line on stdout, in order. The decision is @cloud-copilot/iam-simulate's (identity, resource and
// permissions-boundary policies, every condition operator, same- and cross-account rules). It does not model session
// policies: an allowed request whose principal has one is evaluated again with the session policy as its only
// identity policy, and must be allowed by it too (AWS: the effective permissions are the intersection).
//
// Started with the rendered policies (render_policies.py's output) as its one argument. Request:
//   {"id", "principal" (the session ARN), "principalArn" (the role's ARN), "sessionPolicy": {...}|null, "action",
//    "resource", "resourceAccount", "context": {...}}
// An AWS service acting as itself has "principal": "<service>.amazonaws.com" and "principalArn": null: no identity
// policy applies, only the resource policy can allow it (iam-simulate's service-principal rules).
// The identity policies are the role's; the resource policy is the one rendered for the resource (the bucket's for its
// objects, the role's trust policy for sts:AssumeRole, the key's, the topic's). Answer:
//   {"id", "decision": "Allowed"|"ImplicitlyDenied"|"ExplicitlyDenied", "allowedBy": ["<policy>#<sid>"],
//    "deniedBy": [...], "error"}
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';

const rendered = JSON.parse(readFileSync(process.argv[process.argv.length - 1], 'utf8'));
const roles = new Map(rendered.roles.map((role) => [role.arn, role]));
const resourcePolicies = new Map();
for (const entry of rendered.resourcePolicies) {
  for (const arn of entry.arns) {
    resourcePolicies.set(arn, { name: `${entry.logicalId}`, document: entry.document });
  }
}

function resourcePolicyFor(action, resource) {
  if (action === 'sts:AssumeRole') {
    const role = roles.get(resource);
    return role ? { name: `${role.logicalId}.trust`, document: role.trust } : undefined;
  }
  if (resource.startsWith('arn:aws:s3:::')) {
    const bucket = resource.substring('arn:aws:s3:::'.length).split('/')[0];
    return resourcePolicies.get(`arn:aws:s3:::${bucket}`);
  }
  return resourcePolicies.get(resource);
}

function statementIds(statements, fallback) {
  return (statements || []).map((s) => `${s.policyId || fallback}#${s.statement?.Sid ?? s.explain?.identifier ?? '?'}`);
}

function analysisOf(response) {
  return response?.result?.analysis;
}

async function simulate(request, identityPolicies, resourcePolicy, resourceAccount) {
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables: request.context || {},
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  if (resourcePolicy) {
    simulation.resourcePolicy = resourcePolicy;
  }
  return runSimulation(simulation, {});
}

function identityPoliciesOf(request) {
  if (!request.principalArn) {
    return /^[a-z0-9.-]+\.amazonaws\.com$/.test(request.principal) ? [] : undefined;
  }
  const role = roles.get(request.principalArn);
  return role?.policies.map((p) => ({ name: `${role.logicalId}.${p.name}`, policy: p.document }));
}

async function evaluate(request) {
  const identity = identityPoliciesOf(request);
  if (!identity) {
    return { decision: 'ImplicitlyDenied',
      error: `${request.principalArn || request.principal} is no role of the rendered templates` };
  }
  const resourcePolicy = resourcePolicyFor(request.action, request.resource);
  if (request.action === 'sts:AssumeRole' && !resourcePolicy) {
    return { decision: 'ImplicitlyDenied', error: `${request.resource} is no role of the rendered templates` };
  }
  if (request.action.startsWith('kms:') && !resourcePolicy) {
    return { decision: 'ImplicitlyDenied', error: `${request.resource} is no key of the rendered templates` };
  }
  request.resourcePolicyName = resourcePolicy?.name;
  const response = await simulate(request, identity, resourcePolicy?.document, request.resourceAccount);
  if (response.errors) {
    return { decision: 'ImplicitlyDenied', error: JSON.stringify(response.errors).slice(0, 2000) };
  }
  const analysis = analysisOf(response);
  const resourceName = request.resourcePolicyName || 'resource-policy';
  const allowedBy = [
    ...statementIds(analysis?.identityAnalysis?.allowStatements, 'identity'),
    ...statementIds(analysis?.resourceAnalysis?.allowStatements, resourceName),
  ];
  const deniedBy = [
    ...statementIds(analysis?.identityAnalysis?.denyStatements, 'identity'),
    ...statementIds(analysis?.resourceAnalysis?.denyStatements, resourceName),
  ];
  let decision = response.overallResult;
  if (decision === 'Allowed' && request.sessionPolicy) {
    // The session policy bounds the session: evaluated as the only identity policy, in the principal's own account.
    const principalAccount = (request.principal.split(':')[4]) || request.resourceAccount;
    const session = await simulate(request, [{ name: 'session-policy', policy: request.sessionPolicy }], null,
      principalAccount);
    const sessionDecision = session.errors ? 'ImplicitlyDenied' : session.overallResult;
    const sessionAnalysis = analysisOf(session);
    if (sessionDecision !== 'Allowed') {
      decision = sessionDecision;
      deniedBy.push(...statementIds(sessionAnalysis?.identityAnalysis?.denyStatements, 'session-policy'));
      if (deniedBy.length === 0) {
        deniedBy.push('session-policy: no statement allows');
      }
    } else {
      allowedBy.push(...statementIds(sessionAnalysis?.identityAnalysis?.allowStatements, 'session-policy'));
    }
  }
  return { decision, allowedBy, deniedBy };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
lines.on('line', (line) => {
  if (!line.trim()) {
    return;
  }
  queue = queue.then(async () => {
    let request;
    let answer;
    try {
      request = JSON.parse(line);
      answer = await evaluate(request);
    } catch (error) {
      answer = { decision: 'ImplicitlyDenied', error: String(error?.stack || error).slice(0, 2000) };
    }
    process.stdout.write(JSON.stringify({ id: request?.id, ...answer }) + '\n');
  });
});
