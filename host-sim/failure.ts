// An error that ends the whole run (as opposed to one node failing): the module broke a
// rule every board relies on, so results after it would mean nothing.
export class RunFailure extends Error {}
