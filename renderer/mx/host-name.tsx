import { EscapedText } from '../components/escaped-text';
import { isIdn } from './view-model';

/** A DNS name shown as its U-label, with the A-label beside it when the two differ (IDN). */
export function HostName({ ascii, unicode }: { ascii: string; unicode: string }) {
  if (!isIdn(ascii, unicode)) return <EscapedText text={ascii} className="mono" />;
  return (
    <span className="idn">
      <EscapedText text={unicode} className="mono" />{' '}
      <span className="idn-alabel">
        (A-label <EscapedText text={ascii} className="mono" />)
      </span>
    </span>
  );
}
