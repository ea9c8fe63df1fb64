import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';
import { loadTcfPurposes } from '../../src/privacy/tcf/tcfPurposes.ts';

/*
 * TC strings for tests, encoded by the IAB's own library. Encoding wants a Global Vendor
 * List; one is built here from the eleven purposes of the fideslang GVL mapping with no
 * vendor at all (no network: the library fetches a list only when given a URL), which is
 * all a string of purpose consents needs.
 */

const purposes = Object.fromEntries(
  loadTcfPurposes().map((purpose) => [purpose.id, { id: purpose.id, name: purpose.name, description: '', illustrations: [] }]),
);

function offlineVendorList(): GVL {
  return new GVL({
    gvlSpecificationVersion: 3,
    vendorListVersion: 7,
    tcfPolicyVersion: 5,
    lastUpdated: '2026-01-01T00:00:00Z',
    purposes,
    specialPurposes: {},
    features: {},
    specialFeatures: {},
    vendors: {},
    stacks: {},
    dataCategories: {},
  } as unknown as ConstructorParameters<typeof GVL>[0]);
}

export type TcStringOptions = { consents: number[]; cmpId?: number; cmpVersion?: number; created?: Date; lastUpdated?: Date };

/** A TCF v2 TC string consenting to these TCF purposes (1-11) and no other. */
export function tcStringOf(options: TcStringOptions): string {
  const model = new TCModel(offlineVendorList());
  model.cmpId = options.cmpId ?? 42;
  model.cmpVersion = options.cmpVersion ?? 3;
  model.purposeConsents.set(options.consents);
  if (options.created) model.created = options.created;
  if (options.lastUpdated) model.lastUpdated = options.lastUpdated;
  return TCString.encode(model);
}
