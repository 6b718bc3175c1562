/** A figure that was not measured in this run says why, instead of being left out. */
export interface NotMeasured {
  notMeasured: string;
}

export type Maybe<T> = T | NotMeasured;
