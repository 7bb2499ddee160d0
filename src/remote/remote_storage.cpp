#include "remote/remote_storage.h"

#include "core/log.h"

namespace tocsin::remote {

RemoteStorage::Target::~Target() {
  queue.reset();
  metrics.release(name, config.url);
}

RemoteStorage::RemoteStorage(Options options)
    : options_(options), metrics_(*options.registry), state_(std::make_shared<const State>()) {}

RemoteStorage::~RemoteStorage() {
  stop();
}

std::expected<RemoteStorage::Plan, std::vector<Error>> RemoteStorage::prepare(
    const std::vector<config::RemoteWriteConfig>& configs) {
  Plan plan;
  std::vector<Error> errors;
  for (const config::RemoteWriteConfig& config : configs) {
    auto client = WriteClient::create(config);
    if (!client) {
      errors.push_back(client.error());
      continue;
    }
    plan.targets.push_back({config, std::shared_ptr<const WriteClient>(std::move(*client))});
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return plan;
}

std::shared_ptr<RemoteStorage::Target> RemoteStorage::start_target(Plan::Target planned) {
  std::string name = config::remote_write_name(planned.config);
  const config::RemoteWriteQueueConfig& q = planned.config.queue_config;
  WriteQueueOptions options{.name = name,
                            .url = planned.config.url,
                            .capacity = q.capacity,
                            .max_samples_per_send = q.max_samples_per_send,
                            .min_backoff = q.min_backoff,
                            .max_backoff = q.max_backoff,
                            .flush_deadline = options_.flush_deadline,
                            .clock = options_.clock};
  auto target = std::make_shared<Target>(std::move(planned.config), name, metrics_);
  SendFunc send = [client = std::move(planned.client)](std::string_view body,
                                                       const http::TransferBounds& bounds) {
    return client->store(body, bounds);
  };
  target->queue = std::make_unique<WriteQueue>(std::move(options), std::move(send),
                                               metrics_.acquire(name, target->config.url));
  log::info("Remote write target started", {{"remote_name", name}, {"url", target->config.url}});
  return target;
}

void RemoteStorage::apply(Plan plan, std::map<std::string, std::string> external_labels) {
  std::shared_ptr<const State> previous;
  {
    std::lock_guard lock(mu_);
    previous = state_;
  }
  auto next = std::make_shared<State>();
  next->external_labels = std::move(external_labels);
  std::vector<bool> kept(previous->targets.size(), false);
  for (Plan::Target& planned : plan.targets) {
    std::shared_ptr<Target> same;
    for (std::size_t i = 0; i < previous->targets.size(); ++i) {
      if (!kept[i] && previous->targets[i]->config == planned.config) {
        same = previous->targets[i];
        kept[i] = true;
        break;
      }
    }
    next->targets.push_back(same ? std::move(same) : start_target(std::move(planned)));
  }
  {
    std::lock_guard lock(mu_);
    state_ = std::move(next);
  }
  std::vector<std::shared_ptr<Target>> gone;
  for (std::size_t i = 0; i < previous->targets.size(); ++i) {
    if (!kept[i]) gone.push_back(previous->targets[i]);
  }
  retire(std::move(gone));
}

void RemoteStorage::retire(std::vector<std::shared_ptr<Target>> targets) {
  // Stopped here, freed with the last snapshot that names them; a sample
  // pushed to a stopped queue is dropped and counted.
  for (const auto& target : targets) {
    target->queue->stop();
    log::info("Remote write target stopped",
              {{"remote_name", target->name}, {"url", target->config.url}});
  }
}

bool RemoteStorage::empty() const {
  std::lock_guard lock(mu_);
  return state_->targets.empty();
}

void RemoteStorage::append(std::vector<SeriesSample> samples) {
  std::shared_ptr<const State> state;
  {
    std::lock_guard lock(mu_);
    state = state_;
  }
  if (state->targets.empty() || samples.empty()) return;
  if (!state->external_labels.empty()) {
    for (SeriesSample& s : samples) {
      LabelsBuilder b(s.labels);
      bool changed = false;
      for (const auto& [name, value] : state->external_labels) {
        if (s.labels.has(name)) continue;
        b.set(name, value);
        changed = true;
      }
      if (changed) s.labels = b.labels();
    }
  }
  for (std::size_t i = 0; i + 1 < state->targets.size(); ++i) {
    state->targets[i]->queue->push(samples);
  }
  state->targets.back()->queue->push(std::move(samples));
}

void RemoteStorage::stop() {
  std::shared_ptr<const State> previous;
  {
    std::lock_guard lock(mu_);
    previous = std::exchange(state_, std::make_shared<const State>());
  }
  retire(previous->targets);
}

}  // namespace tocsin::remote
