// Vocabulary for companies and roles. Kept apart from the generators so the word lists can
// grow without touching the generation logic.

export const INDUSTRIES: readonly string[] = [
  'Software', 'IT Services', 'Financial Services', 'Banking', 'Insurance', 'Healthcare',
  'Pharmaceuticals', 'Biotechnology', 'Retail', 'E-commerce', 'Manufacturing', 'Automotive',
  'Logistics', 'Construction', 'Real Estate', 'Education', 'Hospitality', 'Travel',
  'Media & Publishing', 'Marketing & Advertising', 'Telecommunications', 'Energy',
  'Renewables', 'Agriculture', 'Food & Beverage', 'Legal Services', 'Consulting',
  'Non-profit', 'Public Sector', 'Architecture & Design', 'Fashion', 'Sports & Fitness',
];

/** Weighted towards individual contributors and managers, as real contact lists are. */
export const JOB_TITLES: ReadonlyArray<readonly [string, number]> = [
  ['Chief Executive Officer', 2], ['Chief Technology Officer', 1], ['Chief Financial Officer', 1],
  ['Chief Marketing Officer', 1], ['Chief Operating Officer', 1], ['Founder', 2],
  ['Managing Director', 2], ['VP of Sales', 2], ['VP of Marketing', 2], ['VP of Engineering', 1],
  ['Head of Growth', 2], ['Head of Customer Success', 2], ['Head of People', 1],
  ['Head of Procurement', 2], ['Head of IT', 2], ['Director of Operations', 2],
  ['Sales Director', 2], ['Marketing Director', 2], ['Finance Director', 1],
  ['Account Executive', 6], ['Account Manager', 5], ['Sales Development Representative', 4],
  ['Business Development Manager', 5], ['Marketing Manager', 6], ['Product Marketing Manager', 3],
  ['Content Marketing Manager', 3], ['Digital Marketing Specialist', 4], ['Brand Manager', 2],
  ['Product Manager', 5], ['Product Owner', 3], ['Project Manager', 5], ['Operations Manager', 5],
  ['Office Manager', 3], ['Customer Success Manager', 4], ['Support Specialist', 3],
  ['Software Engineer', 6], ['Senior Software Engineer', 4], ['Data Analyst', 4],
  ['Data Scientist', 2], ['IT Administrator', 3], ['Systems Architect', 2],
  ['UX Designer', 3], ['Graphic Designer', 2], ['HR Manager', 3], ['Recruiter', 2],
  ['Financial Controller', 2], ['Accountant', 3], ['Procurement Specialist', 3],
  ['Legal Counsel', 1], ['Data Protection Officer', 1], ['Consultant', 4], ['Analyst', 3],
  ['Teacher', 1], ['Nurse', 1], ['Pharmacist', 1], ['Store Manager', 2], ['Logistics Coordinator', 2],
];

/** First half of invented brand names ("Blue" + "peak"); real-sounding but not real firms. */
export const BRAND_STARTS: readonly string[] = [
  'Blue', 'North', 'Silver', 'Bright', 'Clear', 'Red', 'Green', 'Swift', 'True', 'Open', 'High',
  'Stone', 'Iron', 'Sun', 'Oak', 'Pine', 'River', 'Cedar', 'Nova', 'Polar', 'Amber', 'Coral',
  'Maple', 'Fox', 'Wolf', 'Lark', 'Hawk', 'Terra', 'Aero', 'Luma', 'Vela', 'Orbi', 'Kite',
];

export const BRAND_ENDS: readonly string[] = [
  'peak', 'field', 'bridge', 'stone', 'works', 'wave', 'line', 'point', 'gate', 'path', 'forge',
  'leaf', 'light', 'brook', 'haven', 'mark', 'shore', 'spark', 'vale', 'wind', 'crest', 'ridge',
  'loop', 'nest', 'ly', 'io', 'ora', 'ex',
];

export const COMPANY_NOUNS: readonly string[] = [
  'Systems', 'Labs', 'Logistics', 'Consulting', 'Analytics', 'Health', 'Foods', 'Energy',
  'Digital', 'Studio', 'Partners', 'Solutions', 'Group', 'Holdings', 'Software', 'Robotics',
  'Media', 'Capital', 'Engineering', 'Networks', 'Design', 'Bakery', 'Textiles', 'Mobility',
];

/** Legal forms vary by country, so a bare suffix list would look oddly uniform. */
export const LEGAL_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  GB: ['Ltd', 'PLC', 'LLP'], IE: ['Ltd', 'DAC'], US: ['Inc.', 'LLC', 'Corp.'], CA: ['Inc.', 'Ltd'],
  DE: ['GmbH', 'AG', 'GmbH & Co. KG'], AT: ['GmbH', 'AG'], CH: ['AG', 'GmbH', 'SA'],
  FR: ['SAS', 'SARL', 'SA'], BE: ['SRL', 'NV', 'BV'], NL: ['B.V.', 'N.V.'], ES: ['S.L.', 'S.A.'],
  PT: ['Lda', 'S.A.'], IT: ['S.r.l.', 'S.p.A.'], PL: ['sp. z o.o.', 'S.A.'], CZ: ['s.r.o.', 'a.s.'],
  SE: ['AB'], DK: ['ApS', 'A/S'], NO: ['AS', 'ASA'], FI: ['Oy', 'Oyj'], AU: ['Pty Ltd'],
  NZ: ['Ltd'], IN: ['Pvt Ltd'], BR: ['Ltda.'], MX: ['S.A. de C.V.'], JP: ['K.K.'],
};
