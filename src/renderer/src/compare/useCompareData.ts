import { useCallback, useEffect, useState } from 'react';
import type { Rater, SessionAnnotations } from '../../../shared/annotations';
import type { Codebook } from '../../../shared/codebook';
import type { AgreementKind, ResponseView, SessionAgreementView } from '../../../shared/contract';
import type { Instrument } from '../../../shared/instruments';
import { api, errorMessage } from '../api';

/** What the comparison shows besides the session itself: everyone's visible work and the figures. */
export function useCompareData(sessionId: number) {
  const [data, setData] = useState<SessionAnnotations | null>(null);
  const [raters, setRaters] = useState<Rater[]>([]);
  const [me, setMe] = useState<Rater | null>(null);
  const [codebook, setCodebook] = useState<Codebook | null>(null);
  const [responses, setResponses] = useState<ResponseView[]>([]);
  const [instruments, setInstruments] = useState<Instrument[]>([]);
  const [agreement, setAgreement] = useState<SessionAgreementView | null>(null);
  /** Which segments the agreement compares: ruptures (the default), repairs, or both. */
  const [kind, setKind] = useState<AgreementKind>('rupture');
  const [error, setError] = useState<string | null>(null);
  /** Counts loads of the lanes' data; the agreement is asked for after each. */
  const [loaded, setLoaded] = useState(0);
  const reload = useCallback(async () => {
    try {
      const [a, rs, cur, cb, resp, inst] = await Promise.all([
        api.call('segments:list', { sessionId }),
        api.call('raters:list', {}),
        api.call('raters:current', {}),
        api.call('codebook:get', {}),
        api.call('responses:list', { sessionId }),
        api.call('instruments:list', {}),
      ]);
      setData(a);
      setRaters(rs);
      setMe(cur);
      setCodebook(cb);
      setResponses(resp);
      setInstruments(inst);
      setLoaded((n) => n + 1);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [sessionId]);
  useEffect(() => void reload(), [reload]);
  // The agreement figures come on their own, after the lanes' data (the one connection answers in
  // order, so asked first they would hold back the lanes and the waveform's peaks), and again when
  // the kind compared changes.
  useEffect(() => {
    if (!loaded) return;
    let alive = true;
    api.call('agreement:session', { sessionId, bootstrap: 1000, kind }).then(
      (a) => alive && setAgreement(a),
      (e: unknown) => alive && setError(errorMessage(e)),
    );
    return () => {
      alive = false;
    };
  }, [sessionId, kind, loaded]);
  return {
    data,
    setData,
    raters,
    me,
    codebook,
    responses,
    instruments,
    agreement,
    kind,
    setKind,
    error,
    setError,
    reload,
  };
}
