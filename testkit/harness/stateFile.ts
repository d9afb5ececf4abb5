/**
 * The engine simulator's per-resource state and its rendering as a Pulumi state file, where
 * secrets appear only as ciphertext.
 *
 * @packageDocumentation
 */
import { Props } from "./hostMessages";
import { encryptedSecret } from "./secrets";

/** What the engine keeps for one resource. Values are plain; `secretKeys` says which are secret. */
export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  id: string;
  /** Checked inputs, including `__provider`. */
  inputs: Props;
  /** Outputs as returned by the provider, including `__provider`. */
  outputs: Props;
  /** Top-level input and output names stored as secrets. */
  secretKeys: string[];
  /** Set when the object was created (or updated) but failed to initialise. */
  initErrors?: string[];
}

/** One resource as written to a state file. */
export interface SerializedResource {
  urn: string;
  custom: true;
  id: string;
  type: string;
  inputs: Props;
  outputs: Props;
  initErrors?: string[];
  /** Marks an object that was replaced but still awaits deletion. */
  delete?: true;
}

/** The subset of a Pulumi deployment (checkpoint version 3) the harness models. */
export interface SerializedState {
  version: 3;
  deployment: { resources: SerializedResource[] };
}

/** Renders resources (and pending deletes) the way Pulumi persists them, secrets encrypted. */
export function serializeState(
  resources: ResourceState[],
  pendingDeletes: ResourceState[] = [],
): SerializedState {
  return {
    version: 3,
    deployment: {
      resources: [
        ...resources.map((r) => serializeResource(r)),
        ...pendingDeletes.map((r) => ({ ...serializeResource(r), delete: true as const })),
      ],
    },
  };
}

function serializeResource(r: ResourceState): SerializedResource {
  const out: SerializedResource = {
    urn: r.urn,
    custom: true,
    id: r.id,
    type: r.type,
    inputs: encryptKeys(r.inputs, r.secretKeys),
    outputs: encryptKeys(r.outputs, r.secretKeys),
  };
  if (r.initErrors && r.initErrors.length > 0) out.initErrors = [...r.initErrors];
  return out;
}

function encryptKeys(props: Props, secretKeys: string[]): Props {
  const copy = structuredClone(props);
  for (const k of secretKeys) if (k in copy) copy[k] = encryptedSecret();
  return copy;
}
