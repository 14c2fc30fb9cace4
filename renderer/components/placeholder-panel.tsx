/** Stands in for a feature that is not built yet, so the frame already has its final shape. */
export function PlaceholderPanel({ title, children }: { title: string; children: string }) {
  return (
    <div className="empty-state placeholder">
      <p className="empty-title">{title}</p>
      <p>{children}</p>
    </div>
  );
}
