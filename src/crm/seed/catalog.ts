// What the fictional demo business sells, and the copy used for activities and tracking
// events. Prices are in minor units to match how the CRM stores money.

export type CatalogItem = { readonly sku: string; readonly name: string; readonly unitPriceMinor: number };

export const PRODUCTS: readonly CatalogItem[] = [
  { sku: 'SUB-STARTER-M', name: 'Starter plan (monthly)', unitPriceMinor: 1_900 },
  { sku: 'SUB-STARTER-Y', name: 'Starter plan (annual)', unitPriceMinor: 19_000 },
  { sku: 'SUB-TEAM-M', name: 'Team plan (monthly)', unitPriceMinor: 4_900 },
  { sku: 'SUB-TEAM-Y', name: 'Team plan (annual)', unitPriceMinor: 49_000 },
  { sku: 'SUB-BUSINESS-Y', name: 'Business plan (annual)', unitPriceMinor: 129_000 },
  { sku: 'SEAT-EXTRA', name: 'Additional seat', unitPriceMinor: 1_200 },
  { sku: 'ADDON-SSO', name: 'Single sign-on add-on', unitPriceMinor: 9_900 },
  { sku: 'ADDON-STORAGE', name: 'Extra storage (100 GB)', unitPriceMinor: 2_500 },
  { sku: 'SVC-ONBOARD', name: 'Guided onboarding session', unitPriceMinor: 45_000 },
  { sku: 'SVC-TRAINING', name: 'Team training workshop', unitPriceMinor: 120_000 },
  { sku: 'SVC-MIGRATION', name: 'Data migration service', unitPriceMinor: 250_000 },
  { sku: 'BOOK-PLAYBOOK', name: 'Printed sales playbook', unitPriceMinor: 3_400 },
  { sku: 'MERCH-MUG', name: 'Branded mug', unitPriceMinor: 1_500 },
  { sku: 'MERCH-HOODIE', name: 'Branded hoodie', unitPriceMinor: 5_900 },
  { sku: 'TICKET-CONF', name: 'Annual conference ticket', unitPriceMinor: 39_900 },
  { sku: 'TICKET-WEBINAR', name: 'Masterclass webinar', unitPriceMinor: 4_900 },
];

/** Deal names read "<Company> – <kind>", the convention most sales teams settle on. */
export const DEAL_KINDS: readonly string[] = [
  'New business',
  'Annual renewal',
  'Seat expansion',
  'Pilot',
  'Enterprise upgrade',
  'Onboarding package',
  'Multi-year agreement',
  'Department rollout',
  'Training services',
  'Data migration',
  'Proof of concept',
  'Add-on: SSO',
];

/** Stage 0..3 are open, 4 is won and 5 is lost, matching the default demo pipeline. */
export const DEMO_DEAL_STAGES: readonly string[] = ['Qualification', 'Needs analysis', 'Proposal sent', 'Negotiation', 'Closed won', 'Closed lost'];

export const CALL_SUBJECTS: readonly string[] = [
  'Discovery call with {name}',
  'Follow-up call with {name}',
  'Pricing questions from {name}',
  'Check-in with {name}',
  'Renewal call with {name}',
  'Left voicemail for {name}',
];

export const EMAIL_SUBJECTS: readonly string[] = [
  'Re: proposal for {company}',
  'Next steps',
  'Intro: {name} <> our team',
  'Quick question',
  'Following up on our demo',
  'Invoice and onboarding details',
  'Re: contract redlines',
];

export const MEETING_SUBJECTS: readonly string[] = [
  'Product demo for {company}',
  'Quarterly business review',
  'Kick-off with {company}',
  'Security review',
  'Lunch with {name}',
  'Onboarding workshop',
];

export const TASK_SUBJECTS: readonly string[] = [
  'Send proposal to {name}',
  'Prepare contract for {company}',
  'Follow up with {name}',
  'Book demo with {company}',
  'Update billing contact',
  'Share case study with {name}',
];

export const NOTE_SUBJECTS: readonly string[] = [
  'Notes on {company}',
  'Background on {name}',
  'Buying committee',
  'Competitor mentioned',
  'Budget confirmed',
  'Internal handover',
];

export const ACTIVITY_BODIES: readonly string[] = [
  '{name} asked for a breakdown of seat pricing and annual discounts.',
  'Budget approved for next quarter; procurement needs a DPA before signing.',
  'Good conversation. {company} is comparing us with two other vendors.',
  'Wants to start with a pilot for the marketing team, then expand.',
  'Decision expected after their board meeting. Keep the momentum going.',
  '{name} prefers email over calls; keep updates short.',
  'Raised concerns about data residency. Sent the EU hosting overview.',
  'Interested in the consent management features for their newsletter.',
  'No answer. Will try again later this week.',
  'Agreed on next steps and a timeline for the rollout.',
];

export const SITE_PATHS: readonly string[] = [
  '/',
  '/pricing',
  '/features',
  '/features/consent',
  '/customers',
  '/blog',
  '/blog/gdpr-for-sales-teams',
  '/blog/crm-migration-checklist',
  '/docs/getting-started',
  '/contact',
  '/demo',
  '/signup',
  '/about',
  '/careers',
  '/webinars/privacy-first-marketing',
];

export const CAMPAIGNS: readonly string[] = [
  'spring-newsletter',
  'product-update-q1',
  'product-update-q3',
  'webinar-invite',
  'renewal-reminder',
  'black-friday',
  'onboarding-day-3',
  'customer-stories',
  'event-recap',
];

export const CLICK_ELEMENTS: readonly string[] = [
  'cta-start-trial',
  'cta-book-demo',
  'nav-pricing',
  'footer-newsletter',
  'link-case-study',
  'button-download-guide',
  'link-unsubscribe-preferences',
];

export const FORM_NAMES: readonly string[] = ['newsletter-signup', 'demo-request', 'contact-sales', 'webinar-registration', 'ebook-download'];
