// The API speaks camelCase; the kernel stores a contact's built-in personal values under these snake_case names.
export const personalFieldByApiName = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  jobTitle: 'job_title',
  city: 'city',
  country: 'country',
  externalId: 'external_id',
} as const;
