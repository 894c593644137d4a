import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** The shape of a delivery zone: a GeoJSON polygon (holes allowed) or several of them. */
export type ZoneGeometry = Polygon | MultiPolygon;

/** A point on the map in degrees (WGS 84), as the API carries it. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

export type GeometryResult = { ok: true; geometry: ZoneGeometry } | { ok: false; problem: string };

/**
 * Reads a zone's shape from GeoJSON text or a parsed value: a `Polygon` or `MultiPolygon`
 * geometry, or a `Feature` holding one. Positions are `[lon, lat]` as GeoJSON orders them;
 * every ring must have at least four positions, be closed and stay within the coordinate
 * ranges. Used when zones are written and when they are read back.
 */
export function parseZoneGeometry(input: unknown): GeometryResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, problem: 'is not valid JSON' };
    }
  }
  if (isRecord(value) && value.type === 'Feature') value = value.geometry;
  if (!isRecord(value)) return { ok: false, problem: 'must be a GeoJSON Polygon or MultiPolygon' };

  if (value.type === 'Polygon') {
    const problem = polygonProblem(value.coordinates);
    return problem ? { ok: false, problem }
      : { ok: true, geometry: { type: 'Polygon', coordinates: value.coordinates as Position[][] } };
  }
  if (value.type === 'MultiPolygon') {
    if (!Array.isArray(value.coordinates) || value.coordinates.length === 0) {
      return { ok: false, problem: 'a MultiPolygon needs at least one polygon' };
    }
    const problem = value.coordinates.map(polygonProblem).find((p) => p !== undefined);
    return problem ? { ok: false, problem } : {
      ok: true,
      geometry: { type: 'MultiPolygon', coordinates: value.coordinates as Position[][][] },
    };
  }
  return { ok: false, problem: 'must be a GeoJSON Polygon or MultiPolygon' };
}

/** Whether the point lies inside the shape; a point on the border counts as inside. */
export function geometryContains(geometry: ZoneGeometry, point: GeoPoint): boolean {
  return booleanPointInPolygon([point.lon, point.lat], geometry);
}

/** Geodesic area of the shape in square metres (holes subtracted). */
export function geometryArea(geometry: ZoneGeometry): number {
  return area(geometry);
}

/** Whether `lat`/`lon` are finite degrees within the ranges of the globe. */
export function isValidPoint(point: GeoPoint): boolean {
  return Number.isFinite(point.lat) && Number.isFinite(point.lon)
    && Math.abs(point.lat) <= 90 && Math.abs(point.lon) <= 180;
}

function polygonProblem(rings: unknown): string | undefined {
  if (!Array.isArray(rings) || rings.length === 0) return 'a polygon needs an outer ring';

  for (const ring of rings) {
    if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least four positions';
    if (!ring.every(isPosition)) return 'a position must be [lon, lat] in degrees';
    const first = ring[0] as number[];
    const last = ring.at(-1) as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return 'a ring must end where it starts';
    }
  }
  return undefined;
}

function isPosition(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 2
    && typeof value[0] === 'number' && typeof value[1] === 'number'
    && isValidPoint({ lon: value[0], lat: value[1] });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
