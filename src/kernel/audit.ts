// The audit trail: a hash chain per workspace with signed checkpoints (src/kernel/audit/).
// appendAudit(tx, ctx, record) is what every write and kernel call uses.
export * from './audit/index.ts';
