import { readFileSync } from 'node:fs';

/*
 * Which Candor purposes a TCF purpose speaks for, through fideslang's GVL mapping
 * (data/fideslang/gvl_data_use_mapping.json, CC BY 4.0, see its NOTICE.md): each TCF
 * purpose is one or more fideslang data uses, and each Candor purpose has one data use.
 * A TCF purpose bears on a Candor consent purpose when one of its data uses is the
 * purpose's, lies beneath it (analytics.reporting.content_performance under
 * analytics.reporting) or above it.
 *
 * A Candor purpose counts as consented only when every TCF purpose bearing on it is: a yes
 * to part of what a purpose covers (measuring content, not ads) is not a yes to the whole.
 * TCF purposes that bear on no consent purpose of the workspace are reported, not dropped.
 * Special purposes need no consent in the TCF and are not read.
 */

type MappingEntry = { id: number; name: string; data_uses: string[] };
type MappingFile = { purposes: Record<string, MappingEntry> };

let tcfPurposes: MappingEntry[] | null = null;

/** The TCF purposes of the mapping (1-11), with their fideslang data uses. */
export function loadTcfPurposes(): readonly MappingEntry[] {
  if (!tcfPurposes) {
    const file = JSON.parse(readFileSync(new URL('../../../data/fideslang/gvl_data_use_mapping.json', import.meta.url), 'utf8')) as MappingFile;
    tcfPurposes = Object.values(file.purposes).sort((a, b) => a.id - b.id);
  }
  return tcfPurposes;
}

const within = (use: string, scope: string) => use === scope || use.startsWith(`${scope}.`);
const related = (a: string, b: string) => within(a, b) || within(b, a);

export type CandorPurpose = { key: string; legalBasis: string; dataUse: string };
export type TcfPurposeMap = {
  /** Candor consent purpose key → the TCF purposes bearing on it. */
  byPurpose: Map<string, number[]>;
  /** TCF purposes that bear on no consent purpose of the workspace. */
  unmapped: number[];
};

/** The workspace's consent purposes each TCF purpose bears on. */
export function mapTcfPurposes(purposes: readonly CandorPurpose[]): TcfPurposeMap {
  const byPurpose = new Map<string, number[]>();
  const unmapped: number[] = [];
  const consentPurposes = purposes.filter((purpose) => purpose.legalBasis === 'consent');
  for (const tcf of loadTcfPurposes()) {
    const bearing = consentPurposes.filter((purpose) => tcf.data_uses.some((use) => related(use, purpose.dataUse)));
    if (bearing.length === 0) unmapped.push(tcf.id);
    for (const purpose of bearing) byPurpose.set(purpose.key, [...(byPurpose.get(purpose.key) ?? []), tcf.id]);
  }
  return { byPurpose, unmapped };
}

/** Candor purpose key → whether the signal consents to it (every TCF purpose bearing on it consented). */
export function consentedPurposes(map: TcfPurposeMap, purposeConsents: ReadonlySet<number>): Map<string, boolean> {
  return new Map([...map.byPurpose].map(([key, ids]) => [key, ids.every((id) => purposeConsents.has(id))]));
}
