"""Running the pipeline on a Dask cluster."""
