import { ANALYTICS_SOURCES, INDUSTRIES } from '../crm/property-catalog';

/**
 * Word lists and weights for the synthetic portal. Shares are chosen to look like a B2B SaaS marketing
 * database: about a fifth of addresses on free-mail domains, some students, a few competitors, a long
 * tail of small companies.
 */
export const FIRST_NAMES = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo', 'Amelia', 'Ethan',
  'Harper', 'Mason', 'Evelyn', 'Logan', 'Abigail', 'Aiden', 'Emily', 'Jackson', 'Ella', 'Sebastian', 'Chloe', 'Jack', 'Grace',
  'Owen', 'Zoe', 'Samuel', 'Nora', 'Leo', 'Lily', 'Daniel', 'Hannah', 'Henry', 'Layla', 'Michael', 'Aria', 'Alexander', 'Priya',
  'Arjun', 'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Fatima', 'Omar', 'Sofia', 'Diego', 'Lena', 'Jonas', 'Elena', 'Marco', 'Ingrid',
  'Lars', 'Chiara', 'Luca', 'Anaya', 'Ravi', 'Chen', 'Amara', 'Kwame', 'Zara', 'Tomas', 'Freya', 'Hugo', 'Clara', 'Felix', 'Maya',
];

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez',
  'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White',
  'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres',
  'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Patel', 'Shah', 'Kumar', 'Wang', 'Li', 'Zhang', 'Tanaka', 'Sato', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Dubois',
  'Moreau', 'Rossi', 'Russo', 'Jensen', 'Nielsen', 'Andersson', 'Johansson', "O'Brien", 'Murphy', 'Kowalski', 'Novak', 'Okafor',
];

export const FREE_MAIL_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['gmail.com', 45],
  ['yahoo.com', 14],
  ['hotmail.com', 12],
  ['outlook.com', 12],
  ['icloud.com', 6],
  ['aol.com', 3],
  ['protonmail.com', 3],
  ['gmx.de', 3],
  ['mail.com', 2],
];

/** Free-mail domains as a set (the product's own list may differ; this is the sandbox's truth). */
export const FREE_MAIL_DOMAIN_SET: ReadonlySet<string> = new Set(FREE_MAIL_DOMAINS.map(([d]) => d));

export const UNIVERSITY_DOMAINS = ['stateu.edu', 'northfield.edu', 'lakeside.ac.uk', 'tu-example.de', 'univ-exemple.fr'];

/** Fictitious competitors of the product: their people look like ideal leads and never buy. */
export const COMPETITORS: ReadonlyArray<{ name: string; domain: string }> = [
  { name: 'Leadscope', domain: 'leadscope.io' },
  { name: 'FunnelForge', domain: 'funnelforge.com' },
  { name: 'ScoreLane', domain: 'scorelane.io' },
];

export const COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ['United States', 38],
  ['United Kingdom', 10],
  ['Germany', 8],
  ['Canada', 6],
  ['India', 6],
  ['France', 5],
  ['Australia', 4],
  ['Netherlands', 3],
  ['Brazil', 3],
  ['Spain', 3],
  ['Sweden', 2],
  ['Ireland', 2],
  ['Singapore', 2],
  ['Japan', 2],
  ['Mexico', 2],
  ['South Africa', 1],
  ['Poland', 1],
  ['Italy', 2],
];

export const CITIES: Record<string, readonly string[]> = {
  'United States': ['New York', 'San Francisco', 'Austin', 'Boston', 'Chicago', 'Seattle', 'Denver', 'Atlanta'],
  'United Kingdom': ['London', 'Manchester', 'Edinburgh', 'Bristol'],
  Germany: ['Berlin', 'Munich', 'Hamburg', 'Cologne'],
  Canada: ['Toronto', 'Vancouver', 'Montreal'],
  India: ['Bengaluru', 'Mumbai', 'Pune', 'Hyderabad'],
  France: ['Paris', 'Lyon', 'Toulouse'],
};

/** Industry weights; the first three are the product's target industries. */
export const INDUSTRY_WEIGHTS: ReadonlyArray<readonly [(typeof INDUSTRIES)[number], number]> = INDUSTRIES.map((industry) => {
  const weights: Partial<Record<(typeof INDUSTRIES)[number], number>> = {
    COMPUTER_SOFTWARE: 12,
    INFORMATION_TECHNOLOGY_AND_SERVICES: 12,
    FINANCIAL_SERVICES: 8,
    MARKETING_AND_ADVERTISING: 8,
    HOSPITAL_HEALTH_CARE: 6,
    RETAIL: 6,
    EDUCATION_MANAGEMENT: 5,
    CONSTRUCTION: 5,
  };
  return [industry, weights[industry] ?? 2] as const;
});

export const TARGET_INDUSTRIES: ReadonlySet<string> = new Set(['COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'FINANCIAL_SERVICES']);

/** Employee-count bands (min, max, weight): a long tail of small companies. */
export const EMPLOYEE_BANDS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 10, 24],
  [11, 49, 24],
  [50, 200, 20],
  [201, 1000, 15],
  [1001, 5000, 11],
  [5001, 50000, 6],
];

export type Seniority = 'executive' | 'vp' | 'director' | 'head' | 'manager' | 'individual' | 'junior' | 'student' | 'none';

export const TITLES: Record<Exclude<Seniority, 'none'>, readonly string[]> = {
  executive: ['Chief Executive Officer', 'CEO', 'Chief Technology Officer', 'CTO', 'Chief Revenue Officer', 'Chief Marketing Officer', 'COO', 'Founder', 'Co-Founder', 'Founder & CEO'],
  vp: ['VP of Sales', 'VP Marketing', 'Vice President of Engineering', 'VP Operations', 'VP of Revenue Operations', 'VP Finance'],
  director: ['Director of Marketing', 'Sales Director', 'Director of IT', 'Director of Operations', 'Engineering Director', 'Director, Demand Generation'],
  head: ['Head of Growth', 'Head of Sales', 'Head of Data', 'Head of Procurement', 'Head of Marketing Operations'],
  manager: ['Marketing Manager', 'Sales Manager', 'IT Manager', 'Product Manager', 'Operations Manager', 'Account Manager', 'Project Manager'],
  individual: ['Software Engineer', 'Marketing Specialist', 'Sales Representative', 'Data Analyst', 'Accountant', 'Business Analyst', 'Consultant', 'Designer', 'Account Executive'],
  junior: ['Intern', 'Marketing Intern', 'Junior Developer', 'Assistant', 'Office Assistant'],
  student: ['Student', 'Graduate Student', 'PhD Student', 'MBA Student'],
};

export const SENIORITY_WEIGHTS: ReadonlyArray<readonly [Seniority, number]> = [
  ['executive', 6],
  ['vp', 6],
  ['director', 9],
  ['head', 5],
  ['manager', 20],
  ['individual', 34],
  ['junior', 6],
  ['none', 8],
];

/** Senior titles in the product's sense: VP, Director, Head, Chief, Founder. */
export const SENIOR: ReadonlySet<Seniority> = new Set(['executive', 'vp', 'director', 'head']);

/** `hs_analytics_source` split: deliberately independent of everything else. */
export const SOURCE_WEIGHTS: ReadonlyArray<readonly [(typeof ANALYTICS_SOURCES)[number], number]> = [
  ['ORGANIC_SEARCH', 28],
  ['PAID_SEARCH', 12],
  ['EMAIL_MARKETING', 10],
  ['SOCIAL_MEDIA', 9],
  ['REFERRALS', 10],
  ['OTHER_CAMPAIGNS', 5],
  ['DIRECT_TRAFFIC', 18],
  ['OFFLINE', 5],
  ['PAID_SOCIAL', 3],
];

/** Conversion events; the first three signal buying intent. */
export const CONVERSION_EVENTS = {
  highIntent: ['Demo request', 'Pricing page form', 'Contact sales'],
  lowIntent: ['Ebook download', 'Newsletter signup', 'Webinar registration', 'Case study download'],
} as const;

export const COMPANY_WORDS = {
  first: ['Blue', 'North', 'Bright', 'Silver', 'Summit', 'Harbor', 'Granite', 'Nova', 'Apex', 'Cedar', 'Pioneer', 'Quantum', 'Vertex', 'Atlas', 'Orbit', 'Lumen', 'Crescent', 'Evergreen', 'Iron', 'Maple'],
  second: ['Labs', 'Systems', 'Analytics', 'Works', 'Dynamics', 'Logic', 'Health', 'Capital', 'Partners', 'Solutions', 'Retail', 'Builders', 'Media', 'Networks', 'Cloud', 'Learning', 'Foods', 'Energy', 'Robotics', 'Finance'],
  suffix: ['', '', '', ' Inc', ' Ltd', ' GmbH', ' Group', ' Co'],
  tld: ['.com', '.com', '.com', '.io', '.co', '.net', '.ai'],
};

export const DEAL_PRODUCTS = ['Starter plan', 'Growth plan', 'Enterprise plan', 'Annual renewal', 'Pilot'];
export const LOST_REASONS = ['No budget', 'Chose a competitor', 'Bad timing', 'No decision', 'Missing feature'];
