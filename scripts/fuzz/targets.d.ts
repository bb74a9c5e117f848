// Types of scripts/fuzz/targets.js, for test/fuzz.test.ts (tsc -p tsconfig.test.json).
import type { IRawProperty } from 'fast-check';
import type { RootRef } from '../../src/engines/types';
import type { RouteRequest } from '../../src/resolvers/types';

export interface FuzzTarget {
  name: 'asterisk' | 'kamailio' | 'freeswitch';
  seeds: string[];
  tokens: string[];
  files(text: string, slot: number, other: string): Record<string, string>;
  root(dir: string): RootRef;
  requests: RouteRequest[];
}

export function targets(options?: { corpus?: boolean }): FuzzTarget[];
export function configProperty(target: FuzzTarget, dir: string, budgetMs: number): IRawProperty<unknown[]>;
export function patternProperties(budgetMs: number): Record<string, IRawProperty<unknown[]>>;
export function lintAndRoute(root: RootRef, requests: RouteRequest[], budgetMs: number): { findings: number; answers: number };
export function scratchDir(tag: string): string;
export function forgetTree(dir: string): void;
export function mutate(text: string, mutations: unknown[]): string;
export class PropertyFailure extends Error {}
export const CORPUS: string;
