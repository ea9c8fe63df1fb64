import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { assertEpoch, assertTenantId, epochKeyLength, type EpochKey, type KeyStore, type SigningKeyPair } from './keyStore.ts';

type TenantKeys = { epochs: Map<number, Buffer>; highestEpoch: number; secrets: Map<string, Buffer>; signing?: SigningKeyPair; receipts: SigningKeyPair[] };

/** A key store that forgets everything when the process ends. For tests only: openKeyStore never returns it. */
export class MemoryKeyStore implements KeyStore {
  readonly description = 'in-memory key store (tests only)';
  private readonly tenants = new Map<string, TenantKeys>();

  async check(): Promise<void> {}

  async createEpochKey(tenantId: string): Promise<EpochKey> {
    const tenant = this.tenant(tenantId);
    tenant.highestEpoch += 1;
    const key = randomBytes(epochKeyLength);
    tenant.epochs.set(tenant.highestEpoch, key);
    return { epoch: tenant.highestEpoch, key };
  }

  async getEpochKey(tenantId: string, epoch: number): Promise<Buffer | null> {
    assertEpoch(epoch);
    return this.tenant(tenantId).epochs.get(epoch) ?? null;
  }

  async destroyEpochKey(tenantId: string, epoch: number): Promise<void> {
    assertEpoch(epoch);
    const epochs = this.tenant(tenantId).epochs;
    epochs.get(epoch)?.fill(0);
    epochs.delete(epoch);
  }

  async listLiveEpochs(tenantId: string): Promise<number[]> {
    return [...this.tenant(tenantId).epochs.keys()].sort((a, b) => a - b);
  }

  async blindIndexKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'blind-index');
  }

  async auditPseudonymKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'audit-pseudonym');
  }

  async requestFingerprintKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'request-fingerprint');
  }

  async emailLinkKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'email-link');
  }

  async auditSigningKeyPair(tenantId: string): Promise<SigningKeyPair> {
    const tenant = this.tenant(tenantId);
    tenant.signing ??= generateKeyPairSync('ed25519');
    return tenant.signing;
  }

  async receiptSigningKeyPairs(tenantId: string): Promise<SigningKeyPair[]> {
    const receipts = this.tenant(tenantId).receipts;
    if (receipts.length === 0) receipts.push(generateKeyPairSync('ed25519'));
    return [...receipts];
  }

  async rotateReceiptSigningKey(tenantId: string): Promise<void> {
    const receipts = this.tenant(tenantId).receipts;
    if (receipts.length === 0) receipts.push(generateKeyPairSync('ed25519'));
    receipts.push(generateKeyPairSync('ed25519'));
  }

  private secret(tenantId: string, name: string): Buffer {
    const secrets = this.tenant(tenantId).secrets;
    let key = secrets.get(name);
    if (!key) {
      key = randomBytes(epochKeyLength);
      secrets.set(name, key);
    }
    return key;
  }

  private tenant(tenantId: string): TenantKeys {
    assertTenantId(tenantId);
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { epochs: new Map(), highestEpoch: 0, secrets: new Map(), receipts: [] };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }
}
