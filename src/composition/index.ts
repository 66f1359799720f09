export { ObjectGraph, withGraph } from './graph';
