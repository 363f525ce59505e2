export function ErrorBanner({ message, details }: { message: string; details?: string | undefined }) {
  return (
    <div className="error-banner" role="alert">
      <strong>{message}</strong>
      {details && (
        <details>
          <summary>Details</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  );
}
