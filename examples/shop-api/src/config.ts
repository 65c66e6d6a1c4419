// App-wide configuration. Secrets come from the environment (see README).
export const config = {
  port: Number(process.env.PORT ?? 4000),
  corsOrigin: process.env.CORS_ORIGIN ?? 'http://localhost:3000',
  appUrl: process.env.APP_URL ?? 'http://localhost:3000',
};

// Example analytics config -- copy into your own config and fill in.
export const exampleAnalyticsConfig = {
  provider: 'posthog',
  apiKey: 'your-api-key-here',
  host: 'https://app.posthog.com',
};
