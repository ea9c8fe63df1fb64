import { describe, expect, it } from 'vitest';
import { formatRetentionReport } from '../actions/retention.ts';
import { parseAsOf } from './retention.ts';

describe('candor retention --as-of', () => {
  it('reads a date as midnight UTC and an instant as given', () => {
    expect(parseAsOf('2031-01-01')?.toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect(parseAsOf('2031-01-01T02:30:00+01:00')?.toISOString()).toBe('2031-01-01T01:30:00.000Z');
    expect(parseAsOf(undefined)).toBeUndefined();
  });

  it('refuses anything else, naming the option', () => {
    for (const value of ['soon', '31/01/2031', '2031-02-30T25:00:00Z', '']) {
      expect(() => parseAsOf(value), value).toThrow(
        expect.objectContaining({ code: 'validation_failed', issues: [expect.objectContaining({ field: 'as-of' })] }),
      );
    }
  });
});

describe('the report candor retention prints', () => {
  const asOf = new Date('2031-01-01T00:00:00Z');
  const subjects = [
    { subjectId: '01a24077-0357-7377-8bc3-cb588f57f069', kind: 'contact' as const, action: 'erase' as const },
    { subjectId: '01a24077-22e1-713c-afc7-4088f77f6d5c', kind: 'contact' as const, action: 'anonymise' as const },
  ];
  const plan = {
    asOf,
    subjects,
    held: ['01a24077-0000-7000-8000-000000000001'],
    restricted: [],
    eventsBefore: new Date('2029-12-02T00:00:00Z'),
    expiredEvents: 12,
  };

  it('lists each subject of a dry run by id and action, and says nothing changed', () => {
    expect(formatRetentionReport('demo', { ...plan, dryRun: true, runId: null, proofs: 0 })).toBe(
      [
        'demo: as of 2031-01-01T00:00:00.000Z (dry run: nothing changed)',
        '  would erase 1 and anonymise 1 subject(s); 1 kept under a legal hold, 0 restricted (Art. 18)',
        '  would expire 12 event(s) older than 2029-12-02T00:00:00.000Z',
        '  erase contact 01a24077-0357-7377-8bc3-cb588f57f069',
        '  anonymise contact 01a24077-22e1-713c-afc7-4088f77f6d5c',
        '',
      ].join('\n'),
    );
  });

  it('names the run and its proofs after a sweep, without listing ids', () => {
    const report = formatRetentionReport('demo', { ...plan, dryRun: false, runId: '01a24077-1111-7000-8000-000000000002', proofs: 2 });
    expect(report).toContain('did erase 1 and anonymise 1 subject(s)');
    expect(report).toContain('2 proof(s) of deletion (run 01a24077-1111-7000-8000-000000000002;');
    expect(report).not.toContain(subjects[0].subjectId);
  });
});
