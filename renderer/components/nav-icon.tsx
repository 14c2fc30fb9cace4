/** Small line icons for the navigation; decorative, the label beside them names the feature. */
export type NavIconName = 'mx' | 'send' | 'history' | 'analyse' | 'settings';

export function NavIcon({ name }: { name: NavIconName }) {
  return (
    <svg className="nav-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {name === 'mx' ? (
        <>
          <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M10.3 10.3 14 14" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </>
      ) : null}
      {name === 'send' ? <path d="M2 8 14 2.5 11 14 8 9.5Z M8 9.5 14 2.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" /> : null}
      {name === 'history' ? (
        <>
          <circle cx="8" cy="8" r="5.8" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 4.5V8l2.5 1.6" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </>
      ) : null}
      {name === 'analyse' ? (
        <>
          {/* An envelope under a magnifier's lens: a message looked into. */}
          <path d="M1.8 3.5h9.4v6.8H1.8Z M1.8 3.8l4.7 3.6 4.7-3.6" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
          <circle cx="11" cy="11" r="2.6" fill="none" stroke="currentColor" strokeWidth="1.4" />
          <path d="M12.9 12.9 14.8 14.8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </>
      ) : null}
      {name === 'settings' ? (
        <>
          {/* Three sliders: each track stops short of its knob, so the knob reads on any background. */}
          <path d="M2 4h1.8M7.2 4h6.8M2 8h6.8M12.2 8h1.8M2 12h2.8M8.2 12h5.8" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
          <circle cx="5.5" cy="4" r="1.7" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <circle cx="10.5" cy="8" r="1.7" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <circle cx="6.5" cy="12" r="1.7" fill="none" stroke="currentColor" strokeWidth="1.3" />
        </>
      ) : null}
    </svg>
  );
}
