// Shapes of generated demo records. Keys are stable strings so a seeder can map them to
// database ids while inserting, and relations are expressed by key rather than object
// reference so every record can be streamed on its own.

export type DemoCompany = {
  key: string;
  name: string;
  domain: string;
  industry: string;
  employeeCount: number;
  city: string;
  country: string;
};

export type DemoLifecycleStage =
  | 'subscriber'
  | 'lead'
  | 'marketing_qualified_lead'
  | 'sales_qualified_lead'
  | 'opportunity'
  | 'customer'
  | 'evangelist'
  | 'other';

export type DemoContactSource = 'form' | 'import' | 'api' | 'staff';

export type DemoContact = {
  key: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  jobTitle: string;
  companyKey: string | null;
  lifecycleStage: DemoLifecycleStage;
  source: DemoContactSource;
  city: string;
  country: string;
  createdAt: Date;
};

export type DemoCurrency = 'EUR' | 'USD' | 'GBP';

export type DemoDeal = {
  key: string;
  name: string;
  companyKey: string;
  contactKeys: string[];
  amountMinor: number;
  currency: DemoCurrency;
  /** 0-based index into the pipeline's stages; see DEMO_DEAL_STAGES. */
  stageIndex: number;
  createdAt: Date;
};

export type DemoActivityType = 'note' | 'call' | 'email' | 'meeting' | 'task';

export type DemoActivity = {
  key: string;
  type: DemoActivityType;
  subject: string;
  body: string;
  /** Set for tasks only. */
  dueAt: Date | null;
  contactKeys: string[];
  dealKey: string | null;
  occurredAt: Date;
};

export type DemoPurchaseLine = {
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
};

export type DemoPurchase = {
  contactKey: string;
  orderNumber: string;
  currency: DemoCurrency;
  lines: DemoPurchaseLine[];
  purchasedAt: Date;
};

export type DemoEventType = 'page_view' | 'email_open' | 'click' | 'form_submit';

export type DemoEventProperties = {
  url?: string;
  campaign?: string;
  element?: string;
};

export type DemoEvent = {
  /** Null for visitors who have not identified themselves yet. */
  contactKey: string | null;
  /** Cookie-style id; set for anonymous visitors and for some identified ones. */
  anonymousId: string | null;
  type: DemoEventType;
  occurredAt: Date;
  properties: DemoEventProperties;
};
