-- Migration 002: a handful of requirements so that intake → result → report runs end to end before
-- the catalog loader exists. Limits from ../shared/spec/domain.md; the catalog issue replaces this
-- seed with catalog/ files (same codes, so existing tests keep their requirement).

INSERT INTO requirements (code, standard, clause, property, method, comparator, limit_value, unit) VALUES
  ('REACH-XVII-47-CRVI-LEATHER', 'REACH Annex XVII', 'entry 47 (Reg. (EU) 301/2014)',
   'Chromium(VI) in leather parts in contact with the skin', 'EN ISO 17075-2', '<', '3', 'mg/kg'),
  ('REACH-XVII-61-DMFU', 'REACH Annex XVII', 'entry 61',
   'Dimethylfumarate (DMFu)', 'ISO/TS 16186', '<=', '0.1', 'mg/kg'),
  ('REACH-XVII-27-NI-RELEASE', 'REACH Annex XVII', 'entry 27',
   'Nickel release from metal parts in prolonged skin contact', 'EN 1811', '<=', '0.5', 'µg/cm²/week'),
  ('EN20345-2022-SOLE-BOND', 'EN ISO 20345:2022', '5.3.1.2 (2011 numbering, to confirm)',
   'Upper/outsole bond strength', 'EN ISO 20344:2021 5.2', '>=', '4.0', 'N/mm');
