-- expect: none
ALTER TABLE measurements DETACH PARTITION measurements_y2020 CONCURRENTLY;
