"""Analyses over time and space: time-resolved RSA, temporal generalisation, cluster tests, searchlights.

>>> from neuroalign.analysis import time_resolved_rsa, searchlight_rsa  # doctest: +SKIP
"""

from neuroalign.analysis.clusters import (ClusterResult, SensorTimeCluster, SensorTimeClusterResult, TimeCluster,
                                          channel_adjacency, cluster_test_over_time, cluster_test_sensors_time)
from neuroalign.errors import ClusterTestError, SearchlightCentreError, TimeAxisError
from neuroalign.analysis.neighbourhoods import neighbourhood_rsa
from neuroalign.analysis.searchlight import SearchlightResult, searchlight_rsa
from neuroalign.analysis.sensor_searchlight import (SensorSearchlightResult, sensor_neighbourhoods,
                                                     sensor_searchlight_rsa)
from neuroalign.analysis.spheres import mask_voxels, sphere_neighbourhoods
from neuroalign.analysis.temporal_generalisation import GeneralisationMatrix, temporal_generalisation
from neuroalign.analysis.time_resolved import TimeCourse, time_resolved_rdms, time_resolved_rsa
from neuroalign.analysis.windows import sliding_windows

__all__ = [
    "ClusterResult",
    "ClusterTestError",
    "GeneralisationMatrix",
    "SearchlightCentreError",
    "SearchlightResult",
    "SensorSearchlightResult",
    "SensorTimeCluster",
    "SensorTimeClusterResult",
    "TimeAxisError",
    "TimeCluster",
    "TimeCourse",
    "channel_adjacency",
    "cluster_test_over_time",
    "cluster_test_sensors_time",
    "mask_voxels",
    "neighbourhood_rsa",
    "searchlight_rsa",
    "sensor_neighbourhoods",
    "sensor_searchlight_rsa",
    "sliding_windows",
    "sphere_neighbourhoods",
    "temporal_generalisation",
    "time_resolved_rdms",
    "time_resolved_rsa",
]
