-- Migration 011: indexes of the rejection history measured at 1M results (docs/rejections.md).
-- group_by=product read all of sample_outcomes because its index held a 64-character prefix of the
-- product, which can neither cover the query nor give the GROUP BY order; the failing-requirement
-- queries by district and by product scanned `rejections` for want of a (group, requirement) index.
-- Indexes only: no row is touched.
ALTER TABLE sample_outcomes
  DROP KEY ix_sample_outcomes_product,
  ADD KEY ix_sample_outcomes_product (odop_product, turnaround_hours, issued_at, rejected);

ALTER TABLE rejections
  ADD KEY ix_rejections_district_requirement (district, requirement_code, issued_at),
  ADD KEY ix_rejections_product_requirement (odop_product, requirement_code, issued_at);

-- A summary narrowed to one district (the signed district report) or one exporter (an exporter's
-- own view), by month, and the district report's exporters: the rows of that district or
-- exporter in group order, covering.
ALTER TABLE sample_outcomes
  ADD KEY ix_sample_outcomes_district_month (district, issued_month, turnaround_hours, issued_at, rejected),
  ADD KEY ix_sample_outcomes_district_exporter (district, exporter_id, turnaround_hours, issued_at, rejected),
  ADD KEY ix_sample_outcomes_exporter_month (exporter_id, issued_month, turnaround_hours, issued_at, rejected);
